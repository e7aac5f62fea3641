package io.gantry.backend.ddi;

import io.gantry.backend.config.DownloadQuota;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces a {@link DownloadQuota} per device, in memory. Each device has a fixed window that
 * starts at its first download after the previous window ended; requests and bytes are charged
 * when a download starts. Only authenticated devices reach it (mutual TLS, own controller id), so
 * the map is bounded by the fleet; windows that ended are dropped as the map is touched. A backend
 * restart forgets the counts, which only ever gives devices a fresh window.
 */
public final class DownloadLimiter {
    private static final int PRUNE_EVERY = 1024;
    private final DownloadQuota quota;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private int untilPrune = PRUNE_EVERY;

    /**
     * The state of one device's current window.
     *
     * @param oversizedUsed whether the window's one artifact larger than the byte budget was fetched
     * @param refusals requests refused in this window
     */
    private record Window(Instant start, int requests, long bytes, boolean oversizedUsed, int refusals) {
        Window refused() {
            return new Window(start, requests, bytes, oversizedUsed, refusals + 1);
        }
    }

    /**
     * A refused download.
     *
     * @param retryAfter how long until the device's window ends
     * @param firstInWindow whether this is the device's first refusal in this window (the one to record)
     */
    public record Refusal(Duration retryAfter, boolean firstInWindow) {
    }

    /**
     * @param quota the per-device limits
     * @param clock the time source of the windows
     */
    public DownloadLimiter(DownloadQuota quota, Clock clock) {
        this.quota = quota;
        this.clock = clock;
    }

    /**
     * Charges one download of {@code bytes} to {@code deviceId}, unless that would pass the quota.
     * One artifact larger than the whole byte budget may be fetched once per window, beside the
     * budget (so a release with a payload larger than the budget still installs).
     *
     * @return empty when the download may go ahead; otherwise the refusal
     */
    public Optional<Refusal> charge(String deviceId, long bytes) {
        Instant now = clock.instant();
        Refusal[] refusal = new Refusal[1];
        windows.compute(deviceId, (id, w) -> {
            Window c = w == null || !now.isBefore(w.start().plus(quota.window())) ? new Window(now, 0, 0, false, 0) : w;
            boolean oversized = bytes > quota.maxBytes();
            boolean allowed = c.requests() < quota.maxRequests()
                    && (oversized ? !c.oversizedUsed() : c.bytes() + bytes <= quota.maxBytes());
            if (!allowed) {
                refusal[0] = new Refusal(Duration.between(now, c.start().plus(quota.window())), c.refusals() == 0);
                return c.refused();
            }
            return oversized ? new Window(c.start(), c.requests() + 1, c.bytes(), true, c.refusals())
                    : new Window(c.start(), c.requests() + 1, c.bytes() + bytes, c.oversizedUsed(), c.refusals());
        });
        pruneNowAndThen(now);
        return Optional.ofNullable(refusal[0]);
    }

    /** @return the quota enforced */
    public DownloadQuota quota() {
        return quota;
    }

    private void pruneNowAndThen(Instant now) {
        synchronized (this) {
            if (--untilPrune > 0) {
                return;
            }
            untilPrune = PRUNE_EVERY;
        }
        windows.values().removeIf(w -> !now.isBefore(w.start().plus(quota.window())));
    }
}
