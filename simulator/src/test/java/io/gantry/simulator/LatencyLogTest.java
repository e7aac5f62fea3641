package io.gantry.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyLogTest {
    @Test
    void nearestRankPercentilesOverMergedLogs() {
        LatencyLog a = new LatencyLog();
        LatencyLog b = new LatencyLog();
        for (int i = 1; i <= 2000; i++) {
            (i % 2 == 0 ? a : b).add(i * 1_000_000L); // 1..2000 ms, split over two threads' logs
        }
        LatencyLog all = new LatencyLog();
        all.addAll(a);
        all.addAll(b);
        assertEquals(2000, all.size());
        assertEquals(1000.0, all.percentileMillis(50));
        assertEquals(1980.0, all.percentileMillis(99));
        assertEquals(2000.0, all.percentileMillis(100));
    }

    @Test
    void clearDropsSamplesAndEmptyLogHasNoPercentile() {
        LatencyLog log = new LatencyLog();
        log.add(5);
        log.clear();
        assertEquals(0, log.size());
        assertTrue(Double.isNaN(log.percentileMillis(99)));
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertEquals(2.0, FleetSimulator.median(new double[] {3, 1, 2}));
        assertEquals(2.5, FleetSimulator.median(new double[] {4, 1, 3, 2}));
    }
}
