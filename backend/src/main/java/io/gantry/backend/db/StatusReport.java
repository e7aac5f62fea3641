package io.gantry.backend.db;

import java.time.Instant;
import java.util.List;

/**
 * One feedback message a device sent about an action.
 *
 * @param execution DDI execution state (proceeding, downloaded, closed, ...)
 * @param finished DDI result (success, failure, none)
 * @param code the device's numeric code, or {@code null}
 * @param details the device's detail lines
 * @param reportedAt when the backend received it
 */
public record StatusReport(String execution, String finished, Integer code, List<String> details, Instant reportedAt) {
    /** Copies the details. */
    public StatusReport {
        details = List.copyOf(details);
    }
}
