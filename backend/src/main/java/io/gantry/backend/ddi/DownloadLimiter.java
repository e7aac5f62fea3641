package io.gantry.backend.ddi;

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

    /** The state of one device's current window. */
    private record Window(Instant start, int requests, long bytes) {
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
     *
     * @return empty when the download may go ahead; otherwise how long until the device's window ends
     */
    public Optional<Duration> charge(String deviceId, long bytes) {
        Instant now = clock.instant();
        Duration[] refusal = new Duration[1];
        windows.compute(deviceId, (id, w) -> {
            Window current = w == null || !now.isBefore(w.start().plus(quota.window())) ? new Window(now, 0, 0) : w;
            // One artifact larger than the whole byte budget may still be fetched, once, as a window's first bytes.
            boolean overBytes = current.bytes() > 0 && current.bytes() + bytes > quota.maxBytes();
            if (current.requests() + 1 > quota.maxRequests() || overBytes) {
                refusal[0] = Duration.between(now, current.start().plus(quota.window()));
                return current;
            }
            return new Window(current.start(), current.requests() + 1, current.bytes() + bytes);
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
