package io.gantry.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.counter.MonotonicCounter;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A counter store that cannot be read (a PKCS#11 token gone, a corrupt value) fails every check
 * that needs it: the floors are never taken for 0, and the clock is never trusted instead.
 */
class AntiRollbackUnreadableCounterTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    /** What {@code Pkcs11MonotonicCounter} does once its token is gone. */
    private static final class GoneCounter implements MonotonicCounter {
        @Override
        public long read(String name) throws IOException {
            throw new IOException("the counter store is gone from the token");
        }

        @Override
        public void advance(String name, long value) throws IOException {
            throw new IOException("the counter store is gone from the token");
        }

        @Override
        public String mechanism() {
            return "gone (test)";
        }
    }

    private final AntiRollback antiRollback = new AntiRollback(new GoneCounter(), Clock.fixed(NOW, ZoneOffset.UTC));

    private static ReleaseMetadata release() {
        return new ReleaseMetadata(ReleaseMetadata.SCHEMA, "fw", "1.0.0", ReleaseKind.FIRMWARE, "acme-sensor",
                NOW.minusSeconds(60), NOW.plusSeconds(86_400), 1, "test",
                List.of(new PayloadInfo("fw.img", "00".repeat(32), 1)));
    }

    @Test
    void trustedTimeIsNotTheClockWhenTheFloorIsUnreadable() {
        assertThrows(IOException.class, antiRollback::trustedNow);
    }

    @Test
    void rollbackCheckFailsInsteadOfPassingAgainstZero() {
        assertThrows(IOException.class, () -> antiRollback.check(release()));
    }

    @Test
    void recordingFailsLoudly() {
        assertThrows(IOException.class, () -> antiRollback.record(release(), "releases/1"));
    }
}
