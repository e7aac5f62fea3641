package io.gantry.backend.rollout;

/** Life cycle of a rollout group: SCHEDULED, RUNNING once its predecessor finished, FINISHED at its success threshold. */
public enum GroupState {
    /** Waits for the group before it. */
    SCHEDULED,
    /** Its devices are being started. */
    RUNNING,
    /** Reached its success threshold (its remaining devices are still started and followed). */
    FINISHED
}
