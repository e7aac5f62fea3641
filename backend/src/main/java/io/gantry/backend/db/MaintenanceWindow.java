package io.gantry.backend.db;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daily maintenance window in the device's local time: updates are applied only while the local
 * time of day in {@code zone} lies in {@code [start, end)}; a window whose end is not after its
 * start runs over midnight. Stored as {@code HH:MM-HH:MM@Zone/Id}.
 *
 * @param start local time the window opens
 * @param end local time it closes
 * @param zone the device's time zone (IANA id)
 */
public record MaintenanceWindow(LocalTime start, LocalTime end, ZoneId zone) {
    private static final Pattern FORM = Pattern.compile("(\\d{2}:\\d{2})-(\\d{2}:\\d{2})@(.+)");

    /** @throws IllegalArgumentException for an empty window */
    public MaintenanceWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(zone, "zone");
        if (start.equals(end)) {
            throw new IllegalArgumentException("a maintenance window must not be empty (start equals end)");
        }
    }

    /** @return whether {@code now} falls inside the window, in the device's local time */
    public boolean isOpen(Instant now) {
        LocalTime t = now.atZone(zone).toLocalTime();
        return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
    }

    /** @return {@code HH:MM-HH:MM@Zone/Id} */
    public String format() {
        return start + "-" + end + "@" + zone.getId();
    }

    /**
     * @param text {@code HH:MM-HH:MM@Zone/Id}, e.g. {@code 02:00-04:00@Europe/Berlin}
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MaintenanceWindow parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("maintenance window must be HH:MM-HH:MM@Zone/Id, not " + text);
        }
        try {
            return new MaintenanceWindow(LocalTime.parse(m.group(1)), LocalTime.parse(m.group(2)), ZoneId.of(m.group(3)));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("maintenance window " + text + ": " + e.getMessage(), e);
        }
    }
}
