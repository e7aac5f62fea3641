package io.gantry.api.verify;

/**
 * A payload stream did not have its signed size: either more bytes arrived ({@link
 * RejectionCode#ENDLESS_DATA}; reading stopped one byte past the signed size) or fewer ({@link
 * RejectionCode#TRUNCATED}).
 */
public final class PayloadSizeException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;
    private final long signedSize;
    private final long received;

    /**
     * @param payload the payload name
     * @param signedSize the size the metadata signs
     * @param received bytes read before giving up (at most signedSize + 1)
     */
    public PayloadSizeException(String payload, long signedSize, long received) {
        super(received > signedSize ? RejectionCode.ENDLESS_DATA : RejectionCode.TRUNCATED,
                "payload " + payload + " is signed as " + signedSize + " bytes but "
                        + (received > signedSize ? "more arrived" : "only " + received + " arrived"));
        this.signedSize = signedSize;
        this.received = received;
    }

    /** @return the signed size */
    public long signedSize() {
        return signedSize;
    }

    /** @return the bytes read before giving up */
    public long received() {
        return received;
    }
}
