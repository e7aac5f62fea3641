package io.gantry.backend.db;

import java.time.Instant;

/**
 * One recorded rejection.
 *
 * @param id database id, increasing with time
 * @param occurredAt when the backend recorded it
 * @param code the stable code (see docs/backend-api.md, "Security events")
 * @param subject certificate subject DN or device id, {@code null} if none is known
 * @param remoteAddress the client's IP address, {@code null} if unknown
 * @param detail what was refused, in words (at most {@link SecurityEventRepository#MAX_DETAIL} characters)
 */
public record SecurityEventRow(long id, Instant occurredAt, String code, String subject, String remoteAddress,
        String detail) {
}
