package io.gantry.backend.alerts;

import java.time.Instant;

/**
 * One stored fleet alert ({@code fleet_alerts}, V21).
 *
 * @param id its number
 * @param kind what it is
 * @param subjectType what {@code subject} names
 * @param subject the device, rollout, certificate, release or prefix
 * @param dedupKey kind and subject: at most one unresolved alert has it
 * @param severity the latest severity
 * @param state OPEN, ACKNOWLEDGED or RESOLVED
 * @param message the latest finding's words
 * @param firstSeen when it was raised
 * @param lastSeen when a run last found it
 * @param count how many runs found it
 * @param acknowledgedBy the operator (certificate CN) who acknowledged it, or {@code null}
 * @param acknowledgedAt when, or {@code null}
 * @param resolvedAt when it was resolved, or {@code null}
 */
public record FleetAlert(long id, AlertKind kind, AlertSubject subjectType, String subject, String dedupKey,
        AlertSeverity severity, AlertState state, String message, Instant firstSeen, Instant lastSeen, long count,
        String acknowledgedBy, Instant acknowledgedAt, Instant resolvedAt) {
}
