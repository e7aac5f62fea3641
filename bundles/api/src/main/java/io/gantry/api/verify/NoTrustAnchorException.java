package io.gantry.api.verify;

/** The verifier holds no trusted release key; it refuses every release rather than skip the check. */
public final class NoTrustAnchorException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;

    /** @param where where the trust anchors were expected */
    public NoTrustAnchorException(String where) {
        super(RejectionCode.NO_TRUST_ANCHOR, "no trusted release keys configured (" + where + ")");
    }
}
