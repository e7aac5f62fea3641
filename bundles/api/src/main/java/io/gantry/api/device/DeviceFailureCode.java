package io.gantry.api.device;

import io.gantry.api.failure.FailureCode;

/**
 * Stable codes a vendor plugin gives a failed device update ({@link DeviceUpdateException}); the
 * device runs its previous firmware after each of them. {@link #SOME_DEVICES_FAILED} is the
 * gateway's code for a release that reached only part of the devices of its type.
 * {@link #DEVICE_CERT_REVOKED} and {@link #DEVICE_CERT_STATUS_UNKNOWN} are the refusals of a
 * device's request on the gateway's local DDI endpoint (answered 403 with the code).
 */
public enum DeviceFailureCode implements FailureCode {
    DEVICE_REJECTED("The device refused the image (format, version or its own check)."),
    BOOT_FAILED("The new image did not boot on the device, which went back to its previous slot."),
    BOOT_NOT_CONFIRMED("The new image started but never confirmed its boot; the device reverted to its previous slot (A/B rollback)."),
    TRANSFER_INTERRUPTED("The transfer of the image to the device broke off; the half-written slot is discarded and the device runs its previous firmware."),
    FLASH_FULL("The device has no room in its inactive slot for the image."),
    SIGNATURE_REJECTED("The device checked the release signatures itself, against the keys provisioned into it, and refused them (unsigned, tampered or unknown signer)."),
    NO_SUCH_DEVICE("The plugin has no attached device with that id."),
    DEVICE_IO("Writing the image to the device or reading its state failed."),
    SOME_DEVICES_FAILED("A firmware release reached only some devices of its type: the others are updated and keep it; the report names each failed device with its own code, and the next attempt retries only those."),
    DEVICE_CERT_REVOKED("The gateway's local DDI endpoint refused a device whose client certificate a valid, current CRL of its issuer lists as revoked."),
    DEVICE_CERT_STATUS_UNKNOWN("The gateway's local DDI endpoint refused a device certificate whose revocation status is unknown: no CRL distribution point, or no valid CRL of its issuer, the last one past its nextUpdate plus the configured grace.");

    private final String meaning;

    DeviceFailureCode(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
