package com.acme.gantry.sensor.internal;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.device.DownstreamDeviceUpdater;
import io.gantry.api.verify.VerifiedRelease;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Example vendor plugin: updates Acme sensors, simulated as A/B flash folders on disk, through the
 * downstream-device SPI. It compiles against the Gantry API alone, as a vendor's plugin would.
 */
@Component(configurationPid = "com.acme.gantry.sensor", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AcmeSensorConfig.class)
public final class AcmeSensorUpdater implements DownstreamDeviceUpdater {
    /** The device type Acme sensor firmware releases target. */
    public static final String DEVICE_TYPE = "acme-sensor";

    private final Path devicesDir;
    private final List<String> deviceIds;

    @Activate
    public AcmeSensorUpdater(AcmeSensorConfig config, Map<String, Object> properties) {
        if (config.devicesDir() == null || config.devicesDir().isBlank()) {
            throw new IllegalArgumentException("devicesDir is not configured (configuration: " + properties + ")");
        }
        this.devicesDir = Path.of(config.devicesDir());
        this.deviceIds = config.deviceIds() == null ? List.of() : List.of(config.deviceIds());
    }

    @Override
    public String deviceType() {
        return DEVICE_TYPE;
    }

    @Override
    public List<String> deviceIds() {
        return deviceIds;
    }

    @Override
    public DeviceUpdateResult update(String deviceId, VerifiedRelease release) throws DeviceUpdateException {
        if (!deviceIds.contains(deviceId)) {
            throw new DeviceUpdateException(DeviceFailureCode.NO_SUCH_DEVICE, "no Acme sensor " + deviceId + " attached");
        }
        if (!DEVICE_TYPE.equals(release.metadata().target()) || release.payloads().size() != 1) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_REJECTED, "not a single-image Acme sensor release");
        }
        try {
            SimulatedAbDevice device = SimulatedAbDevice.open(devicesDir.resolve(deviceId));
            return device.install(release.metadata().version(), release.payloads().get(0));
        } catch (IOException e) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, "sensor " + deviceId + ": " + e.getMessage());
        }
    }
}
