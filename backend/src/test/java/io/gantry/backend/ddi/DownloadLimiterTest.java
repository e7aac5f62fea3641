package io.gantry.backend.ddi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.config.DownloadQuota;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.TestDatabases;
import io.gantry.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-device download quota: requests and bytes per window, with an injected clock, kept in the
 * database (H2, or PostgreSQL in the second run), so two nodes charge one window.
 */
class DownloadLimiterTest {
    static final DownloadQuota QUOTA = new DownloadQuota(3, 1_000, Duration.ofMinutes(10));
    final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
    @TempDir
    Path dir;
    Database db;
    DownloadLimiter limiter;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabases.open(dir);
        limiter = new DownloadLimiter(QUOTA, db, clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void twoNodesChargeOneWindowPerDevice() throws Exception {
        try (Database secondPool = TestDatabases.open(dir)) {
            DownloadLimiter nodeB = new DownloadLimiter(QUOTA, secondPool, clock);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            CyclicBarrier go = new CyclicBarrier(4);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                DownloadLimiter node = i % 2 == 0 ? limiter : nodeB;
                answers.add(threads.submit(() -> {
                    go.await();
                    return node.charge("gw-spread", 10).isEmpty();
                }));
            }
            int allowed = 0;
            for (Future<Boolean> a : answers) {
                allowed += a.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            threads.shutdown();
            assertEquals(3, allowed, "3 requests a window in all, though the device asked two nodes at once");
            assertTrue(nodeB.charge("gw-spread", 10).isPresent());
            assertFalse(limiter.charge("gw-spread", 10).orElseThrow().firstInWindow(), "the refusal count is shared too");
        }
    }

    @Test
    void aFloodIsRefusedUntilTheDevicesWindowEndsAndOtherDevicesAreUnaffected() throws Exception {
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
    void bytesAreChargedAtTheStart() throws Exception {
        assertEquals(Optional.empty(), limiter.charge("gw-1", 900));
        assertTrue(limiter.charge("gw-1", 200).isPresent(), "1,100 bytes pass the 1,000-byte budget");
        assertEquals(Optional.empty(), limiter.charge("gw-1", 100));
    }

    @Test
    void aReleaseWithAPayloadLargerThanTheBudgetStillInstallsOncePerWindow() throws Exception {
        // What the agent does: metadata and signatures first, then the payload.
        assertEquals(Optional.empty(), limiter.charge("gw-1", 300));
        assertEquals(Optional.empty(), limiter.charge("gw-1", 200));
        assertEquals(Optional.empty(), limiter.charge("gw-1", 5_000), "the one oversized artifact of the window");
        assertTrue(limiter.charge("gw-1", 5_000).isPresent(), "a second one waits for the next window");
        clock.advance(Duration.ofMinutes(10));
        assertEquals(Optional.empty(), limiter.charge("gw-1", 5_000));
    }

    @Test
    void refusedRequestsDoNotUseUpTheQuota() throws Exception {
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
