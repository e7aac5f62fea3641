package io.gantry.backend.rollout;

/** Life cycle of a rollout: CREATED until planned, RUNNING, PAUSED (by an operator or the error threshold), then FINISHED or CANCELED. */
public enum RolloutState {
    /** Stored, not yet planned (the scheduler plans it at its next tick). */
    CREATED,
    /** Planned; groups start as their predecessors reach the success threshold. */
    RUNNING,
    /** No device is started; open actions go on. */
    PAUSED,
    /** Every group reached its success threshold. */
    FINISHED,
    /** Stopped by an operator; its open actions were cancelled. */
    CANCELED;

    /** @return whether nothing will change any more */
    public boolean isEnded() {
        return this == FINISHED || this == CANCELED;
    }
}
