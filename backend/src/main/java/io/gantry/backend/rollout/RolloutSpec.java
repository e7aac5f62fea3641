package io.gantry.backend.rollout;

import io.gantry.backend.db.ActionTerms;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator asked for; validated on creation and stored unchanged ({@link RolloutSpecJson}).
 *
 * @param name a label
 * @param releaseId the release to send
 * @param filter which targets
 * @param canary devices in the first group (0: no canary group)
 * @param percentages cumulative shares of the targeted devices covered after each further group, rising, each 1..100
 * @param successThreshold percent of a group's (not held) devices that must succeed before the next group starts
 * @param errorThreshold when the rollout pauses
 * @param maxStartsPerMinute at most this many devices started in any 60 seconds
 * @param window daily maintenance window {@code [start, end)} in each device's local time, if any
 * @param timeZoneAttribute the attribute a device reports its IANA time zone in (UTC without it)
 * @param certificateHoldDays a device whose newest certificate expires within this many days is held (0: no check)
 * @param type the action type of every action the rollout creates
 */
public record RolloutSpec(String name, long releaseId, TargetFilter filter, int canary, List<Integer> percentages,
        int successThreshold, ErrorThreshold errorThreshold, int maxStartsPerMinute, Optional<Window> window,
        String timeZoneAttribute, int certificateHoldDays, ActionTerms.Type type) {
    /** The default attribute naming a device's time zone. */
    public static final String DEFAULT_ZONE_ATTRIBUTE = "timezone";

    /** @throws IllegalArgumentException naming the first rule broken */
    public RolloutSpec {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(errorThreshold, "errorThreshold");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(type, "type");
        percentages = List.copyOf(percentages);
        if (name == null || name.isBlank() || name.length() > 255) {
            throw new IllegalArgumentException("name must be 1..255 characters");
        }
        if (releaseId <= 0) {
            throw new IllegalArgumentException("releaseId must be a positive integer");
        }
        if (canary < 0) {
            throw new IllegalArgumentException("canary must be >= 0");
        }
        if (canary == 0 && percentages.isEmpty()) {
            throw new IllegalArgumentException("a rollout needs at least one group: a canary or percentages");
        }
        int last = 0;
        for (int p : percentages) {
            if (p <= last || p > 100) {
                throw new IllegalArgumentException("percentages must rise strictly, each 1..100: " + percentages);
            }
            last = p;
        }
        if (percentages.size() > 50) {
            throw new IllegalArgumentException("at most 50 percentage groups");
        }
        if (successThreshold < 1 || successThreshold > 100) {
            throw new IllegalArgumentException("successThreshold must be 1..100");
        }
        if (maxStartsPerMinute < 1) {
            throw new IllegalArgumentException("maxStartsPerMinute must be >= 1");
        }
        if (timeZoneAttribute == null || timeZoneAttribute.isBlank()) {
            throw new IllegalArgumentException("timeZoneAttribute must not be empty");
        }
        if (certificateHoldDays < 0 || certificateHoldDays > 3650) {
            throw new IllegalArgumentException("certificateHoldDays must be 0..3650");
        }
    }

    /**
     * A daily window in device-local time, {@code HH:MM-HH:MM}; an end not after the start runs over midnight.
     *
     * @param start opens
     * @param end closes
     */
    public record Window(LocalTime start, LocalTime end) {
        /** @throws IllegalArgumentException for an empty window */
        public Window {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (start.equals(end)) {
                throw new IllegalArgumentException("maintenanceWindow must not be empty (start equals end)");
            }
        }

        /** @return {@code HH:MM-HH:MM} */
        public String format() {
            return start + "-" + end;
        }
    }
}
