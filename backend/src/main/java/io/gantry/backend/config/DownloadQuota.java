package io.gantry.backend.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The flood guard on artifact requests (THREATS.md, "distribution abuse"), kept in memory by each
 * backend node. Within any {@code window}, a device may start at most {@code maxRequests}
 * artifact requests and be sent at most {@code maxBytes} bytes by one node; beyond either it gets
 * {@code 429 DOWNLOAD_LIMIT} with {@code Retry-After}, and the refusal is a security event. It
 * bounds what the database-counted {@link ArtifactDownloadLimit} lets through: requests that
 * never complete an artifact (ranges, broken transfers) and several artifacts. With N nodes a
 * device can reach N times these numbers; a restart forgets them.
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
