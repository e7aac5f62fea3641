package io.gantry.simulator;

import java.util.Arrays;

/**
 * Request latencies of one kind, in nanoseconds: one log per gateway thread (no sharing while
 * recording), merged for the report. Percentiles are exact (nearest rank over every sample).
 */
final class LatencyLog {
    private long[] samples = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    synchronized int size() {
        return size;
    }

    /** Adds every sample of {@code other}. */
    synchronized void addAll(LatencyLog other) {
        long[] theirs;
        int n;
        synchronized (other) {
            theirs = Arrays.copyOf(other.samples, other.size);
            n = other.size;
        }
        for (int i = 0; i < n; i++) {
            add(theirs[i]);
        }
    }

    /** @return the nearest-rank percentile {@code p} (0 &lt; p &le; 100) in milliseconds; NaN when empty */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    /** Drops every sample (between measured iterations). */
    synchronized void clear() {
        size = 0;
    }

    /** @return "p50 / p90 / p99 / max" in milliseconds */
    String summary() {
        return String.format(java.util.Locale.ROOT, "%.2f / %.2f / %.2f / %.2f", percentileMillis(50), percentileMillis(90),
                percentileMillis(99), percentileMillis(100));
    }
}
