package io.gantry.api.verify;

/** A signature attributed to a trusted key does not verify over the exact metadata bytes. */
public final class BadSignatureException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;
    private final String keyId;

    /** @param keyId the trusted key the failing signature claims */
    public BadSignatureException(String keyId) {
        super(RejectionCode.BAD_SIGNATURE, "signature by key " + keyId + " does not verify over the metadata");
        this.keyId = keyId;
    }

    /** @return the key id the failing signature claims */
    public String keyId() {
        return keyId;
    }
}
