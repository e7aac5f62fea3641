package io.gantry.verifier.internal;

import io.gantry.api.counter.MonotonicCounter;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.RollbackException;
import io.gantry.release.ReleaseVersions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Anti-rollback and anti-freeze state kept in a {@link MonotonicCounter}: per stream, the highest
 * installed version and security counter; globally, the latest trusted time (the newest build
 * timestamp installed), so a clock set back cannot make expired metadata valid again.
 *
 * <p>Trusted time only goes up, and everything expires against it, so whoever moves it can expire
 * the fleet's every release and trust root. Two bounds: only the root and the release roles move it
 * (a vendor delegation signs for its own devices, not for the fleet's clock), and never further
 * than {@link #MAX_AHEAD_OF_CLOCK} past the local clock at the install, whatever build time a
 * release claims.
 */
final class AntiRollback {
    static final String TRUSTED_TIME = "time:trusted";
    /**
     * The trusted-time epoch: 0 until a root-signed trust root with {@code resetTrustedTime} is
     * accepted, then that root's version. Counters only go up, so a reset cannot lower the old
     * value: it moves to a fresh name instead, and root versions never repeat, so neither do names.
     */
    static final String TRUSTED_TIME_EPOCH = "time:epoch";
    /** How far past the local clock an installed build time may carry trusted time (clock skew). */
    static final Duration MAX_AHEAD_OF_CLOCK = Duration.ofDays(1);
    private final MonotonicCounter counters;
    private final Clock clock;

    AntiRollback(MonotonicCounter counters, Clock clock) {
        this.counters = counters;
        this.clock = clock;
    }

    /** @return the clock, but never earlier than a time already trusted */
    Instant trustedNow() throws IOException {
        Instant now = clock.instant();
        Instant floor = Instant.ofEpochSecond(counters.read(trustedTimeName()));
        return now.isBefore(floor) ? floor : now;
    }

    /** @throws RollbackException if the version does not increase or the counter decreases */
    void check(ReleaseMetadata m) throws RollbackException, IOException {
        long counter = floor("counter:", m);
        if (m.securityCounter() < counter) {
            throw new RollbackException("security counter", Long.toString(counter), Long.toString(m.securityCounter()));
        }
        long installed = floor("version:", m);
        if (installed > 0 && ReleaseVersions.ordinal(m.version()) <= installed) {
            throw new RollbackException("version", ReleaseVersions.format(installed), m.version());
        }
    }

    /**
     * Raises the floors after a committed install.
     *
     * @param role the trust-root role that authorized the release ("root", "releases/N", "vendor/X")
     */
    void record(ReleaseMetadata m, String role) throws IOException {
        // The device-type floor takes over a higher per-name floor kept before, at the first install.
        raise("counter:", m, m.securityCounter());
        raise("version:", m, ReleaseVersions.ordinal(m.version()));
        if (movesTrustedTime(role)) {
            Instant cap = clock.instant().plus(MAX_AHEAD_OF_CLOCK);
            long built = (m.buildTimestamp().isAfter(cap) ? cap : m.buildTimestamp()).getEpochSecond();
            String name = trustedTimeName();
            if (built > counters.read(name)) {
                counters.advance(name, built);
            }
        }
    }

    private void raise(String prefix, ReleaseMetadata m, long installed) throws IOException {
        String name = prefix + floorStream(m);
        long next = Math.max(installed, floor(prefix, m));
        if (next > counters.read(name)) {
            counters.advance(name, next);
        }
    }

    /** An allow-list: a role name this class does not know moves nothing. */
    static boolean movesTrustedTime(String role) {
        return role.equals("root") || role.startsWith("releases/");
    }

    /**
     * Starts the trusted-time epoch of a root-signed reset (idempotent: an epoch already reached
     * is left as it is). Trusted time then starts again from the local clock.
     *
     * @param rootVersion the version of the accepted trust root that asked for the reset
     */
    void startTrustedTimeEpoch(long rootVersion) throws IOException {
        if (rootVersion > counters.read(TRUSTED_TIME_EPOCH)) {
            counters.advance(TRUSTED_TIME_EPOCH, rootVersion);
        }
    }

    private String trustedTimeName() throws IOException {
        long epoch = counters.read(TRUSTED_TIME_EPOCH);
        return epoch == 0 ? TRUSTED_TIME : TRUSTED_TIME + "@" + epoch;
    }

    /** @return the local clock alone, for the stuck-time recovery check (see {@link #stuckAhead()}) */
    Instant clockNow() {
        return clock.instant();
    }

    /**
     * @return whether trusted time lies more than {@link #MAX_AHEAD_OF_CLOCK} past the local clock:
     *     the symptom of a fast-forward by older software, under which every release, and the
     *     current trust root itself, reads as expired
     */
    boolean stuckAhead() throws IOException {
        Instant now = clock.instant();
        return Instant.ofEpochSecond(counters.read(trustedTimeName())).isAfter(now.plus(MAX_AHEAD_OF_CLOCK));
    }

    /**
     * The name floors are kept under: what a signer cannot rename at will. Firmware: its device
     * type (the release name is free text, and a release under a new name must not escape the
     * floors of the old one), so each device type has one firmware line; a device with several
     * independently versioned images names each as its own device type. Bundles: kind, target and
     * name as before, because the name is the bundle's symbolic name (the installer refuses a
     * payload whose manifest says otherwise) and the target is always the gateway. Trust roots:
     * one line (their rotation needs version + 1 anyway).
     */
    static String floorStream(ReleaseMetadata m) {
        return m.kind() == ReleaseKind.FIRMWARE ? "firmware:" + m.target() : m.stream();
    }

    /**
     * The floor of {@code prefix} for the release's line: the higher of the device-type floor and
     * the floor a gateway kept per release name before floors were keyed by device type, so an
     * upgrade keeps the protection it had.
     */
    private long floor(String prefix, ReleaseMetadata m) throws IOException {
        long current = counters.read(prefix + floorStream(m));
        return floorStream(m).equals(m.stream()) ? current : Math.max(current, counters.read(prefix + m.stream()));
    }
}
