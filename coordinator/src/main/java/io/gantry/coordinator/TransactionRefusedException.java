package io.gantry.coordinator;

/** A transaction the coordinator would not start; nothing was touched. */
public final class TransactionRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;

    /**
     * @param code a stable code: {@code INSTALL_FAILED} (unusable request, a jar changed, no way
     *     back) or {@code UPDATE_IN_PROGRESS} (another transaction is running)
     * @param message why, in words
     */
    public TransactionRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** @return the stable code */
    public String code() {
        return code;
    }
}
