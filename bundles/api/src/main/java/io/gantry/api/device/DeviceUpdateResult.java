package io.gantry.api.device;

/**
 * A device update that booted and was confirmed.
 *
 * @param deviceId the device
 * @param previousVersion firmware version before
 * @param newVersion firmware version now running
 * @param activeSlot the slot the device now boots from
 */
public record DeviceUpdateResult(String deviceId, String previousVersion, String newVersion, String activeSlot) {
}
