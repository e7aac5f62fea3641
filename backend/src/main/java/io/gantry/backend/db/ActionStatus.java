package io.gantry.backend.db;

/**
 * Life cycle of a deployment action: PENDING until the device reads it, then RUNNING, then closed
 * (FINISHED or ERROR); an open action an operator cancels is CANCELING until the device confirms
 * (CANCELED) or refuses (back to RUNNING).
 */
public enum ActionStatus {
    /** Assigned, not yet fetched by the device. */
    PENDING,
    /** The device fetched the deployment or reported progress. */
    RUNNING,
    /** The device reported closed + success. */
    FINISHED,
    /** The device reported closed + failure. */
    ERROR,
    /** An operator cancelled it; the device is offered {@code cancelAction} until it confirms. */
    CANCELING,
    /** The device confirmed the cancellation. */
    CANCELED;

    /** @return whether the action still accepts feedback */
    public boolean isOpen() {
        return this == PENDING || this == RUNNING || this == CANCELING;
    }
}
