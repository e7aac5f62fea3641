package io.gantry.api.device;

import io.gantry.api.failure.FailureCode;

/**
 * Stable codes a vendor plugin gives a failed device update ({@link DeviceUpdateException}); the
 * device runs its previous firmware after each of them.
 */
public enum DeviceFailureCode implements FailureCode {
    DEVICE_REJECTED("The device refused the image (format, version or its own check)."),
    BOOT_FAILED("The device did not confirm a boot of the new image and went back to the previous slot."),
    NO_SUCH_DEVICE("The plugin has no attached device with that id."),
    DEVICE_IO("Writing the image to the device or reading its state failed.");

    private final String meaning;

    DeviceFailureCode(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
