package io.gantry.agent.internal;

import java.io.IOException;
import java.time.Duration;

/**
 * The backend answered 429 with {@code Retry-After}: this device used up its download quota. Not a
 * verdict on the release: the agent leaves the action open and tries again after the delay.
 */
final class DownloadDeferredException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Duration retryAfter;

    DownloadDeferredException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    /** @return the delay of a {@code Retry-After} header in seconds, or {@code fallback} if absent or not seconds */
    static Duration parseRetryAfter(String header, Duration fallback) {
        if (header == null) {
            return fallback;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            // Bounded: a hostile server must not park the agent for days.
            return seconds < 1 ? fallback : Duration.ofSeconds(Math.min(seconds, Duration.ofHours(1).toSeconds()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
