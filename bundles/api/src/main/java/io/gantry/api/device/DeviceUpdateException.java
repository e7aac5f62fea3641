package io.gantry.api.device;

/** A device refused or failed an update and runs its previous firmware. */
public final class DeviceUpdateException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;

    /**
     * @param code stable code, e.g. DEVICE_REJECTED, BOOT_FAILED, NO_SUCH_DEVICE
     * @param message what went wrong
     */
    public DeviceUpdateException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** @return the stable code */
    public String code() {
        return code;
    }
}
