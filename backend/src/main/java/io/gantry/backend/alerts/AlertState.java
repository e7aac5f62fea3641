package io.gantry.backend.alerts;

/**
 * Where an alert stands. OPEN when raised; ACKNOWLEDGED when an operator took it (it stays
 * unresolved and is still updated, but a repeat is not delivered again); RESOLVED when the job that
 * raised it no longer finds the problem. A problem found again after resolution opens a new alert.
 */
public enum AlertState {
    /** Raised, nobody has taken it yet. */
    OPEN,
    /** An operator has taken it; the problem is still there. */
    ACKNOWLEDGED,
    /** The problem is gone. */
    RESOLVED
}
