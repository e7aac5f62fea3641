package io.gantry.coordinator.launch;

/** The steps of a transaction, in the order they are journaled. */
enum TxState {
    /** New jars copied and checked, previous jars kept; nothing in the framework touched yet. */
    STAGED,
    /** Bundles being stopped and updated: the framework may hold a mix of old and new. */
    SWITCHING,
    /** Every bundle updated and the wiring refreshed; bundles starting. */
    REFRESHED,
    /** The new set runs; health gates being asked. */
    HEALTH_CHECKING,
    /** Gates passed; the new set runs on trial until the soak period ends (counted across starts). */
    SOAKING,
    /** Decided to keep the new set; its jars becoming the committed copies. */
    COMMITTING,
    /** Final: the new set is the gateway. */
    COMMITTED,
    /** Putting the previous set back. */
    REVERTING,
    /** Final: the previous set runs again. */
    REVERTED,
    /** Final: the previous set could not be restored. */
    REVERT_FAILED;

    boolean isFinal() {
        return this == COMMITTED || this == REVERTED || this == REVERT_FAILED;
    }
}
