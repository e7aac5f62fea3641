package io.gantry.agent.internal;

import java.time.Duration;

/** Parses the backend's polling interval, {@code HH:MM:SS} as in hawkBit's {@code config.polling.sleep}. */
final class PollingSleep {
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofDays(1);

    private PollingSleep() {
    }

    static Duration parse(String hhmmss, Duration fallback) {
        if (hhmmss == null || !hhmmss.matches("\\d{2}:\\d{2}:\\d{2}")) {
            return fallback;
        }
        String[] p = hhmmss.split(":");
        Duration d = Duration.ofHours(Integer.parseInt(p[0])).plusMinutes(Integer.parseInt(p[1]))
                .plusSeconds(Integer.parseInt(p[2]));
        // Clamp: a backend cannot make the gateway spin or go silent for days.
        return d.compareTo(MIN) < 0 ? MIN : d.compareTo(MAX) > 0 ? MAX : d;
    }
}
