package io.gantry.coordinator;

import java.util.List;

/**
 * How a transaction ended.
 *
 * @param transactionId the id it was submitted under
 * @param result committed, reverted, or a revert that failed
 * @param code a stable code: {@code COMMITTED}, or the failure code, one of
 *     {@code INSTALL_FAILED}, {@code HEALTH_CHECK_FAILED}, {@code UPDATE_INTERRUPTED},
 *     {@code BOOT_TRIALS_EXHAUSTED}, {@code REVERT_FAILED} (the gateway's install failure codes)
 * @param message why, in words
 * @param details one line per bundle changed (or put back)
 */
public record TransactionOutcome(String transactionId, Result result, String code, String message, List<String> details) {

    /** The end states of a transaction. */
    public enum Result {
        /** The new set runs and passed its health gates (and soak). */
        COMMITTED,
        /** The previous set runs again, exactly as before. */
        REVERTED,
        /** The previous set could not be restored: the gateway needs attention. */
        REVERT_FAILED
    }

    /** Copies the details. */
    public TransactionOutcome {
        details = List.copyOf(details);
    }
}
