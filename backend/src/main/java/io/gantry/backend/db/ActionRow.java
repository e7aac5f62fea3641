package io.gantry.backend.db;

import java.time.Instant;

/**
 * One assignment of a release to a device.
 *
 * @param id action id
 * @param controllerId the device
 * @param releaseId the release
 * @param status where it stands
 * @param createdAt when it was assigned
 * @param updatedAt when its status last changed
 */
public record ActionRow(long id, String controllerId, long releaseId, ActionStatus status, Instant createdAt,
        Instant updatedAt) {
}
