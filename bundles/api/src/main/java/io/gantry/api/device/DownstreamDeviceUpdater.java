package io.gantry.api.device;

import io.gantry.api.verify.VerifiedRelease;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by vendor plugin bundles: updates the devices of one device type behind the
 * gateway. The gateway hands over only releases it has fully verified and whose signed target is
 * {@link #deviceType()}; the plugin writes the inactive slot, switches, and confirms the boot or
 * rolls the device back.
 */
@ConsumerType
public interface DownstreamDeviceUpdater {

    /** @return the device type this plugin serves; matched against the release target */
    String deviceType();

    /** @return ids of the devices of this type currently attached */
    List<String> deviceIds();

    /**
     * @param deviceId one of {@link #deviceIds()}
     * @param release a verified FIRMWARE release whose target is {@link #deviceType()}
     * @return the committed result
     * @throws DeviceUpdateException if the device refused or failed the update; the device then
     *     runs its previous firmware
     */
    DeviceUpdateResult update(String deviceId, VerifiedRelease release) throws DeviceUpdateException;
}
