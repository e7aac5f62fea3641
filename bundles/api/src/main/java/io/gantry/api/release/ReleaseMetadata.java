package io.gantry.api.release;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The signed description of a release (docs/release-format.md). Everything a gateway acts on comes
 * from this record, parsed from the exact bytes the signatures cover; nothing outside it is trusted.
 *
 * @param schema format identifier, {@link #SCHEMA}
 * @param name bundle symbolic name for {@link ReleaseKind#BUNDLE}, firmware name otherwise
 * @param version the release version (OSGi version syntax: major.minor.micro[.qualifier])
 * @param kind what the release replaces
 * @param target the device type it is for: {@link #GATEWAY_TARGET} for gateway bundles
 * @param buildTimestamp when the release was built
 * @param expires after this instant the release may no longer be installed (freeze defence)
 * @param securityCounter anti-rollback counter: a gateway refuses a release whose counter is
 *     below the highest it has installed for the same stream (kind, target, name)
 * @param builtBy the human-readable identity of the release manager who built it (informational;
 *     who signed is proven by the signatures, not by this field)
 * @param payloads the payloads, each with its digest and size
 */
public record ReleaseMetadata(
        String schema,
        String name,
        String version,
        ReleaseKind kind,
        String target,
        Instant buildTimestamp,
        Instant expires,
        long securityCounter,
        String builtBy,
        List<PayloadInfo> payloads) {

    /** The only schema this version of Gantry reads. */
    public static final String SCHEMA = "gantry.release/1";

    /** The target (device type) of releases that update the gateway's own bundles. */
    public static final String GATEWAY_TARGET = "gantry-gateway";

    /** @throws IllegalArgumentException if a field is missing or the payload list is empty */
    public ReleaseMetadata {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(buildTimestamp, "buildTimestamp");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(builtBy, "builtBy");
        if (securityCounter < 0) {
            throw new IllegalArgumentException("securityCounter must not be negative");
        }
        if (!expires.isAfter(buildTimestamp)) {
            throw new IllegalArgumentException("expires must be after buildTimestamp");
        }
        payloads = List.copyOf(payloads);
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("a release names at least one payload");
        }
        if (payloads.stream().map(PayloadInfo::name).distinct().count() != payloads.size()) {
            throw new IllegalArgumentException("payload names must be unique");
        }
    }

    /**
     * @return the update stream this release belongs to: counters and versions only ever
     *     increase within one stream
     */
    public String stream() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + target + ":" + name;
    }

    /** @return the major part of {@link #version()} */
    public int majorVersion() {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    /** @return the payload with that name, or {@code null} */
    public PayloadInfo payload(String payloadName) {
        return payloads.stream().filter(p -> p.name().equals(payloadName)).findFirst().orElse(null);
    }
}
