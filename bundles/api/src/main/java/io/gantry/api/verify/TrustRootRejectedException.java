package io.gantry.api.verify;

/** A trust root that may not be used: bad rotation, or a threshold below the configured minimum. */
public final class TrustRootRejectedException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code {@link RejectionCode#BAD_ROTATION} or {@link RejectionCode#THRESHOLD_TOO_LOW}
     * @param why what is wrong
     */
    public TrustRootRejectedException(RejectionCode code, String why) {
        super(code, why);
    }
}
