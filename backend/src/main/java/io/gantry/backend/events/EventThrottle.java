package io.gantry.backend.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets at most {@code perWindow} events of one code for one subject through per window, and
 * counts the rest, so an authenticated party that loops (a device repeating a refused request or a
 * renewal report) cannot fill the event table. The count of what was held back is reported with
 * the first event let through after the window. Subjects are authenticated certificates, so the
 * map is bounded by the fleet; ended windows are dropped as it grows.
 */
final class EventThrottle {
    private final int perWindow;
    private final Duration window;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private record Window(Instant start, int passed, long held) {
    }

    EventThrottle(int perWindow, Duration window) {
        this.perWindow = perWindow;
        this.window = window;
    }

    /**
     * @return -1 to hold the event back; otherwise how many events of this code and subject were
     *     held back since the last one let through
     */
    long admit(String code, String subject, Instant now) {
        long[] result = new long[1];
        windows.compute(code + '\0' + subject, (k, w) -> {
            if (w == null || !now.isBefore(w.start().plus(window))) {
                result[0] = w == null ? 0 : w.held();
                return new Window(now, 1, 0);
            }
            if (w.passed() < perWindow) {
                result[0] = 0;
                return new Window(w.start(), w.passed() + 1, w.held());
            }
            result[0] = -1;
            return new Window(w.start(), w.passed(), w.held() + 1);
        });
        if (windows.size() > 10_000) {
            windows.values().removeIf(w -> w.held() == 0 && !now.isBefore(w.start().plus(window)));
        }
        return result[0];
    }
}
