package io.gantry.backend.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How much one device may download (THREATS.md, "distribution abuse": download floods past the
 * per-device limit). Within any {@code window}, a device may start at most {@code maxRequests}
 * artifact downloads and be sent at most {@code maxBytes} bytes; beyond either it gets
 * {@code 429 DOWNLOAD_LIMIT} with {@code Retry-After}, and the refusal is a security event.
 *
 * @param maxRequests artifact requests per device per window (ranges count one each)
 * @param maxBytes bytes per device per window, charged when a download starts
 * @param window the accounting period
 */
public record DownloadQuota(int maxRequests, long maxBytes, Duration window) {
    /**
     * 120 requests and 4 GiB per device per 10 minutes: a gateway fetching a release makes three
     * requests (metadata, signatures, payload) plus resumptions, so only a loop or a flood meets it.
     */
    public static final DownloadQuota DEFAULT = new DownloadQuota(120, 4L << 30, Duration.ofMinutes(10));

    public DownloadQuota {
        Objects.requireNonNull(window, "window");
        if (maxRequests <= 0 || maxBytes <= 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("download quota values must be positive: " + maxRequests + " requests, "
                    + maxBytes + " bytes per " + window);
        }
    }
}
