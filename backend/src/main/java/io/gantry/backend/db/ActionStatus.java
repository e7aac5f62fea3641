package io.gantry.backend.db;

/** Life cycle of a deployment action: PENDING until the device reads it, then RUNNING, then closed. */
public enum ActionStatus {
    /** Assigned, not yet fetched by the device. */
    PENDING,
    /** The device fetched the deployment or reported progress. */
    RUNNING,
    /** The device reported closed + success. */
    FINISHED,
    /** The device reported closed + failure. */
    ERROR;

    /** @return whether the action still accepts feedback */
    public boolean isOpen() {
        return this == PENDING || this == RUNNING;
    }
}
