package io.gantry.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.RollbackException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Anti-rollback floors are keyed on what a signer cannot rename at will: a firmware release under
 * a new free-text name is still held to the floors of its device type.
 */
class FloorKeyTest {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final MapCounter counters = new MapCounter();
    private final AntiRollback antiRollback = new AntiRollback(counters, Clock.fixed(NOW, ZoneOffset.UTC));

    private static ReleaseMetadata firmware(String name, String target, String version, long counter) {
        return new ReleaseMetadata(ReleaseMetadata.SCHEMA, name, version, ReleaseKind.FIRMWARE, target,
                NOW.minusSeconds(60), NOW.plusSeconds(86400), counter, "tester",
                List.of(new PayloadInfo("fw.bin", "0".repeat(64), 1)));
    }

    @Test
    void renamedFirmwareReleaseIsHeldToTheDeviceTypeFloors() throws Exception {
        antiRollback.record(firmware("acme-fw", "acme-sensor", "2.0.0", 5), "releases/2");
        RollbackException older = assertThrows(RollbackException.class,
                () -> antiRollback.check(firmware("acme-fw-lts", "acme-sensor", "1.9.0", 5)));
        org.junit.jupiter.api.Assertions.assertTrue(older.getMessage().contains("version"), older.getMessage());
        assertThrows(RollbackException.class, () -> antiRollback.check(firmware("totally-new", "acme-sensor", "9.0.0", 4)));
        antiRollback.check(firmware("acme-fw-next", "acme-sensor", "2.1.0", 5));
    }

    @Test
    void anotherDeviceTypeHasItsOwnLine() throws Exception {
        antiRollback.record(firmware("acme-fw", "acme-sensor", "2.0.0", 5), "releases/2");
        antiRollback.check(firmware("acme-fw", "acme-valve", "1.0.0", 1));
    }

    @Test
    void perNameFloorsKeptBeforeStillHoldAndMoveToTheDeviceType() throws Exception {
        // A gateway upgraded from floors kept per release name.
        counters.advance("version:firmware:acme-sensor:acme-fw", io.gantry.release.ReleaseVersions.ordinal("3.0.0"));
        counters.advance("counter:firmware:acme-sensor:acme-fw", 7);
        assertThrows(RollbackException.class, () -> antiRollback.check(firmware("acme-fw", "acme-sensor", "2.0.0", 7)));
        antiRollback.record(firmware("acme-fw", "acme-sensor", "3.1.0", 7), "releases/3");
        // The device-type floor now carries the old name's counter too.
        assertThrows(RollbackException.class, () -> antiRollback.check(firmware("renamed", "acme-sensor", "4.0.0", 6)));
        assertEquals(7L, counters.read("counter:" + AntiRollback.floorStream(firmware("x", "acme-sensor", "1.0.0", 0))));
    }
}
