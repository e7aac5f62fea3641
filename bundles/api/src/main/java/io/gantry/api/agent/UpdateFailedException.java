package io.gantry.api.agent;

/**
 * A release was not applied. The code is a verifier {@code RejectionCode} name or an install code
 * (INSTALL_FAILED, HEALTH_CHECK_FAILED, DEVICE_REJECTED, NO_PLUGIN ...); nothing was activated.
 */
public final class UpdateFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;

    /**
     * @param code the stable code
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public UpdateFailedException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** @return the stable code */
    public String code() {
        return code;
    }
}
