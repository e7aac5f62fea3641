package io.gantry.provision;

/** Provisioning refused or failed, with a stable {@link ProvisionError} code. */
public final class ProvisionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ProvisionError code;

    /** @param code the stable reason, @param message what and why, for a person */
    public ProvisionException(ProvisionError code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** @param code the stable reason, @param message what and why, @param cause the underlying failure */
    public ProvisionException(ProvisionError code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    /** @return the stable reason */
    public ProvisionError code() {
        return code;
    }
}
