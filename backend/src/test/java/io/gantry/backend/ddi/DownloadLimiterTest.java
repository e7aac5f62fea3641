package io.gantry.backend.ddi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.config.DownloadQuota;
import io.gantry.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Per-device download quota: requests and bytes per window, with an injected clock. */
class DownloadLimiterTest {
    final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
    final DownloadLimiter limiter = new DownloadLimiter(new DownloadQuota(3, 1_000, Duration.ofMinutes(10)), clock);

    @Test
    void aFloodIsRefusedUntilTheDevicesWindowEndsAndOtherDevicesAreUnaffected() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.charge("gw-1", 10));
        }
        clock.advance(Duration.ofSeconds(60));
        DownloadLimiter.Refusal first = limiter.charge("gw-1", 10).orElseThrow();
        assertEquals(Duration.ofMinutes(9), first.retryAfter(), "fourth request: wait for the window");
        assertTrue(first.firstInWindow());
        assertFalse(limiter.charge("gw-1", 10).orElseThrow().firstInWindow(), "recorded once per window");
        assertEquals(Optional.empty(), limiter.charge("gw-2", 10), "another device has its own quota");
        clock.advance(Duration.ofMinutes(9));
        assertEquals(Optional.empty(), limiter.charge("gw-1", 10), "a new window: recoverable without a manual step");
    }

    @Test
    void bytesAreChargedAtTheStart() {
        assertEquals(Optional.empty(), limiter.charge("gw-1", 900));
        assertTrue(limiter.charge("gw-1", 200).isPresent(), "1,100 bytes pass the 1,000-byte budget");
        assertEquals(Optional.empty(), limiter.charge("gw-1", 100));
    }

    @Test
    void aReleaseWithAPayloadLargerThanTheBudgetStillInstallsOncePerWindow() {
        // What the agent does: metadata and signatures first, then the payload.
        assertEquals(Optional.empty(), limiter.charge("gw-1", 300));
        assertEquals(Optional.empty(), limiter.charge("gw-1", 200));
        assertEquals(Optional.empty(), limiter.charge("gw-1", 5_000), "the one oversized artifact of the window");
        assertTrue(limiter.charge("gw-1", 5_000).isPresent(), "a second one waits for the next window");
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Optional.empty(), limiter.charge("gw-1", 5_000));
    }

    @Test
    void refusedRequestsDoNotUseUpTheQuota() {
        assertEquals(Optional.empty(), limiter.charge("gw-1", 600));
        assertTrue(limiter.charge("gw-1", 600).isPresent());
        assertTrue(limiter.charge("gw-1", 600).isPresent());
        assertEquals(Optional.empty(), limiter.charge("gw-1", 400), "only what was sent counts");
    }

    @Test
    void quotaValuesMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new DownloadQuota(0, 1, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new DownloadQuota(1, 0, Duration.ofMinutes(1)));
        assertThrows(IllegalArgumentException.class, () -> new DownloadQuota(1, 1, Duration.ZERO));
    }
}
