package io.gantry.simulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated gateways share: where the backend is, whether to keep running and
 * measuring, and the fleet-wide download window and update count.
 */
final class Fleet {
    private final String host;
    private final int port;
    private final String tenant;
    private final long pollIntervalMillis;
    private volatile boolean running = true;
    private volatile boolean measuring;
    private volatile boolean downloading;
    private final AtomicLong firstDownloadStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastDownloadEnd = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong updates = new AtomicLong();

    Fleet(String host, int port, String tenant, long pollIntervalMillis) {
        this.host = host;
        this.port = port;
        this.tenant = tenant;
        this.pollIntervalMillis = pollIntervalMillis;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String tenant() {
        return tenant;
    }

    long pollIntervalMillis() {
        return pollIntervalMillis;
    }

    boolean running() {
        return running;
    }

    void stop() {
        running = false;
    }

    boolean measuring() {
        return measuring;
    }

    void measuring(boolean on) {
        measuring = on;
    }

    /** @return whether gateways download their last artifact again and again instead of polling */
    boolean downloading() {
        return downloading;
    }

    void downloading(boolean on) {
        downloading = on;
    }

    void downloadWindow(long start, long end) {
        firstDownloadStart.accumulateAndGet(start, Math::min);
        lastDownloadEnd.accumulateAndGet(end, Math::max);
    }

    /** @return nanoseconds from the first download's start to the last one's end, 0 before any */
    long downloadWindowNanos() {
        long s = firstDownloadStart.get();
        long e = lastDownloadEnd.get();
        return e > s ? e - s : 0;
    }

    void updateFinished() {
        updates.incrementAndGet();
    }

    long updates() {
        return updates.get();
    }
}
