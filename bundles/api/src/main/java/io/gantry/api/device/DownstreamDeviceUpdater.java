package io.gantry.api.device;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by vendor plugin bundles: updates the devices of one device type behind the
 * gateway. The gateway hands over only releases it has fully verified and whose signed target is
 * {@link #deviceType()}, together with the signed metadata and signatures so that a device can
 * verify the release itself ({@link DeviceUpdateRequest}); the plugin writes the inactive slot,
 * switches, and confirms the boot or rolls the device back.
 */
@ConsumerType
public interface DownstreamDeviceUpdater {

    /** @return the device type this plugin serves; matched against the release target */
    String deviceType();

    /** @return ids of the devices of this type currently attached */
    List<String> deviceIds();

    /**
     * @param deviceId one of {@link #deviceIds()}
     * @return the firmware version the device runs now (its confirmed slot)
     * @throws DeviceUpdateException if the device cannot be reached or read
     */
    String firmwareVersion(String deviceId) throws DeviceUpdateException;

    /**
     * @param request the device and a verified FIRMWARE release whose target is {@link #deviceType()}
     * @return the committed result: the device booted the new image and confirmed it
     * @throws DeviceUpdateException if the device refused or failed the update; the device then
     *     runs its previous firmware
     */
    DeviceUpdateResult update(DeviceUpdateRequest request) throws DeviceUpdateException;
}
