package io.gantry.backend.db;

import java.time.Instant;

/**
 * A device known to the backend.
 *
 * @param controllerId the device id (its certificate's CN)
 * @param firstSeen when it was first polled or assigned
 * @param lastSeen when it last polled, {@code null} if never
 */
public record TargetRow(String controllerId, Instant firstSeen, Instant lastSeen) {
}
