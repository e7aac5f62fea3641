package io.gantry.api.device;

import java.util.Objects;

/** A device refused or failed an update and runs its previous firmware. */
public final class DeviceUpdateException extends Exception {
    private static final long serialVersionUID = 2L;
    private final DeviceFailureCode code;

    /**
     * @param code the stable code
     * @param message what went wrong
     */
    public DeviceUpdateException(DeviceFailureCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    /** @return the stable code */
    public DeviceFailureCode code() {
        return code;
    }
}
