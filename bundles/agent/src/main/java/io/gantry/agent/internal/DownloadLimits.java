package io.gantry.agent.internal;

/**
 * How long a download may take: no stall longer than {@code stallMillis}, and the whole body
 * within {@code baseMillis} plus the time {@code expectedBytes} take at {@code minBytesPerSecond}.
 */
record DownloadLimits(long stallMillis, long baseMillis, long minBytesPerSecond) {
    /** 30 s without data, and at least 16 KiB/s after a 60 s allowance. */
    static final DownloadLimits DEFAULT = new DownloadLimits(30_000, 60_000, 16 * 1024);

    DownloadLimits {
        if (stallMillis <= 0 || baseMillis <= 0 || minBytesPerSecond <= 0) {
            throw new IllegalArgumentException("download limits must be positive");
        }
    }

    long deadlineMillis(long expectedBytes) {
        long transfer = Math.max(0, expectedBytes) / minBytesPerSecond * 1000;
        return baseMillis + Math.min(transfer, Long.MAX_VALUE / 2);
    }
}
