package io.gantry.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Trusted-time fast-forward: a signed release whose build time lies far in the future must not
 * carry the fleet's trusted time there (every later release and trust root would then be EXPIRED:
 * a fleet bricked with no way back). Only the root and release roles move it, and at most a day
 * past the local clock.
 */
class TrustedTimeBoundTest {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final MapCounter counters = new MapCounter();
    private final AntiRollback antiRollback = new AntiRollback(counters, Clock.fixed(NOW, ZoneOffset.UTC));

    private static ReleaseMetadata builtAt(String name, Instant built) {
        return new ReleaseMetadata(ReleaseMetadata.SCHEMA, name, "1.0.0", ReleaseKind.FIRMWARE, "acme-sensor", built,
                built.plus(Duration.ofDays(30)), 1, "tester", List.of(new PayloadInfo("fw.bin", "0".repeat(64), 1)));
    }

    private Instant trustedTime() {
        return Instant.ofEpochSecond(counters.read(AntiRollback.TRUSTED_TIME));
    }

    @Test
    void releaseRoleBuildTimeInTheFarFutureMovesTrustedTimeOnlyToClockPlusADay() throws Exception {
        antiRollback.record(builtAt("fw", NOW.plus(Duration.ofDays(365 * 70))), "releases/1");
        assertEquals(NOW.plus(AntiRollback.MAX_AHEAD_OF_CLOCK), trustedTime());
        assertEquals(NOW.plus(AntiRollback.MAX_AHEAD_OF_CLOCK), antiRollback.trustedNow());
    }

    @Test
    void vendorDelegationNeverMovesTrustedTime() throws Exception {
        antiRollback.record(builtAt("acme-fw", NOW.minusSeconds(60)), "vendor/acme");
        antiRollback.record(builtAt("acme-fw", NOW.plus(Duration.ofDays(365 * 70))), "vendor/acme");
        assertEquals(Instant.EPOCH, trustedTime());
        assertEquals(NOW, antiRollback.trustedNow());
    }

    @Test
    void ordinaryBuildTimeOfAReleaseRoleOrTheRootStillMovesIt() throws Exception {
        antiRollback.record(builtAt("fw", NOW.minusSeconds(3600)), "releases/1");
        assertEquals(NOW.minusSeconds(3600), trustedTime());
        antiRollback.record(builtAt("root", NOW.minusSeconds(60)), "root");
        assertEquals(NOW.minusSeconds(60), trustedTime());
    }

    @Test
    void unknownRoleNamesMoveNothing() {
        assertTrue(AntiRollback.movesTrustedTime("releases/2"));
        assertTrue(AntiRollback.movesTrustedTime("root"));
        assertFalse(AntiRollback.movesTrustedTime("vendor/releases"));
        assertFalse(AntiRollback.movesTrustedTime("rootish"));
        assertFalse(AntiRollback.movesTrustedTime(""));
    }
}
