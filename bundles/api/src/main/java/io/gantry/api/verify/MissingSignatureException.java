package io.gantry.api.verify;

/** The release carries no signature. */
public final class MissingSignatureException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;

    /** Creates the rejection. */
    public MissingSignatureException() {
        super(RejectionCode.MISSING_SIGNATURE, "the release carries no signature");
    }
}
