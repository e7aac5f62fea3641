package io.gantry.api.rollback;

/** Installing a verified release failed; says whether the previous version was restored. */
public final class InstallFailedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final boolean reverted;

    /**
     * @param code stable code: INSTALL_FAILED, HEALTH_CHECK_FAILED or REVERT_FAILED
     * @param message what went wrong
     * @param reverted whether the previous version runs again
     * @param cause the underlying failure, or null
     */
    public InstallFailedException(String code, String message, boolean reverted, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.reverted = reverted;
    }

    /** @return the stable code */
    public String code() {
        return code;
    }

    /** @return whether the previous version was restored */
    public boolean reverted() {
        return reverted;
    }
}
