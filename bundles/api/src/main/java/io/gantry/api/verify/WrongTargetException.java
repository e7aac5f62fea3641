package io.gantry.api.verify;

/** A genuine release offered to a device type it was not built for. */
public final class WrongTargetException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;

    /**
     * @param signedTarget the device type the release signs
     * @param why where it was offered, and why that does not match
     */
    public WrongTargetException(String signedTarget, String why) {
        super(RejectionCode.WRONG_HARDWARE, "release is for " + signedTarget + ": " + why);
    }
}
