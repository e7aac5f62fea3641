package io.gantry.backend.alerts;

import java.util.Objects;

/**
 * One problem a check or detector found in one run: the input of {@link AlertBook#reconcile}.
 *
 * @param kind what it is
 * @param subjectType what {@code subject} names
 * @param subject the device, rollout, certificate, release or prefix (cut to 255 characters)
 * @param severity how urgent
 * @param message what was found, with its numbers (cut to 1024 characters)
 */
public record Finding(AlertKind kind, AlertSubject subjectType, String subject, AlertSeverity severity, String message) {
    /** @throws IllegalArgumentException for an empty subject */
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException("an alert needs a subject");
        }
        // Subjects come from stored rows (a security event's subject may be longer): cut, never fail the run.
        subject = subject.length() > 255 ? subject.substring(0, 255) : subject;
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
