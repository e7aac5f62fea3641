package io.gantry.api.verify;

/** No role of the trust root may sign this release (wrong major version, vendor outside its delegation). */
public final class UnauthorizedSignerException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;

    /** @param why which rule refused it */
    public UnauthorizedSignerException(String why) {
        super(RejectionCode.UNAUTHORIZED_SIGNER, why);
    }
}
