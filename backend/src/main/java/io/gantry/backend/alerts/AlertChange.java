package io.gantry.backend.alerts;

/**
 * A transition worth telling someone about, handed to every {@link AlertSink}.
 *
 * @param alert the alert after the change
 * @param change what happened
 */
public record AlertChange(FleetAlert alert, Change change) {
    /** What happened to the alert. */
    public enum Change {
        /** Raised for the first time (or again after it was resolved). */
        OPENED,
        /** Found again with a higher severity. */
        ESCALATED,
        /** An operator acknowledged it. */
        ACKNOWLEDGED,
        /** The problem is gone. */
        RESOLVED
    }
}
