package io.gantry.backend.alerts;

import java.util.Objects;

/**
 * One problem a check or detector found in one run: the input of {@link AlertBook#reconcile}.
 *
 * @param kind what it is
 * @param subjectType what {@code subject} names
 * @param subject the device, rollout, certificate, release or prefix (at most 255 characters)
 * @param severity how urgent
 * @param message what was found, with its numbers (cut to 1024 characters)
 */
public record Finding(AlertKind kind, AlertSubject subjectType, String subject, AlertSeverity severity, String message) {
    /** @throws IllegalArgumentException for an empty or too long subject */
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (subject == null || subject.isEmpty() || subject.length() > 255) {
            throw new IllegalArgumentException("alert subject must be 1..255 characters: " + subject);
        }
        message = message.length() > 1024 ? message.substring(0, 1021) + "..." : message;
    }

    /** A finding whose subject is of the kind's usual type. */
    public static Finding of(AlertKind kind, String subject, AlertSeverity severity, String message) {
        return new Finding(kind, kind.subject(), subject, severity, message);
    }

    /** @return the deduplication key: one unresolved alert per kind and subject */
    public String dedupKey() {
        return kind.name() + ":" + subjectType.name() + ":" + subject;
    }
}
