package io.gantry.api.verify;

/** The metadata or the signature envelope does not parse or breaks a format rule. */
public final class MalformedReleaseException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;

    /** @param message which rule was broken */
    public MalformedReleaseException(String message) {
        super(RejectionCode.MALFORMED, message);
    }
}
