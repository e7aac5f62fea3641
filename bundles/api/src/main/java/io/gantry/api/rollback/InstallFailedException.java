package io.gantry.api.rollback;

import java.util.Objects;

/** Installing a verified release failed; says whether the previous version was restored. */
public final class InstallFailedException extends Exception {
    private static final long serialVersionUID = 2L;
    private final InstallFailureCode code;
    private final boolean reverted;

    /**
     * @param code the stable code
     * @param message what went wrong
     * @param reverted whether the previous version runs again
     * @param cause the underlying failure, or null
     */
    public InstallFailedException(InstallFailureCode code, String message, boolean reverted, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
        this.reverted = reverted;
    }

    /** @return the stable code */
    public InstallFailureCode code() {
        return code;
    }

    /** @return whether the previous version was restored */
    public boolean reverted() {
        return reverted;
    }
}
