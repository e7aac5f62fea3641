package io.gantry.api.verify;

/** The bytes received for a payload hash to something other than the signed SHA-256. */
public final class PayloadHashMismatchException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;
    private final String expected;
    private final String actual;

    /**
     * @param payload the payload name
     * @param expected the signed digest
     * @param actual the digest of the received bytes
     */
    public PayloadHashMismatchException(String payload, String expected, String actual) {
        super(RejectionCode.HASH_MISMATCH,
                "payload " + payload + " has sha256 " + actual + " but the release signed " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    /** @return the signed digest */
    public String expected() {
        return expected;
    }

    /** @return the digest of the bytes received */
    public String actual() {
        return actual;
    }
}
