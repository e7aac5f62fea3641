package io.gantry.backend.alerts;

/** How urgent an alert is; ordered from least to most. Stored by name. */
public enum AlertSeverity {
    /** Worth knowing; nothing breaks soon. */
    INFO,
    /** Needs a person this week. */
    WARNING,
    /** Needs a person now. */
    CRITICAL
}
