package io.gantry.api.renewal;

/**
 * A renewal step failed. The current certificate and key stay in use: no failure replaces or
 * deletes the identity the gateway has.
 */
public class RenewalException extends Exception {
    private static final long serialVersionUID = 1L;
    private final RenewalErrorCode code;

    /**
     * @param code the stable code
     * @param message what went wrong, with the evidence
     * @param cause the underlying failure, or null
     */
    public RenewalException(RenewalErrorCode code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    /** @return the stable code */
    public RenewalErrorCode code() {
        return code;
    }
}
