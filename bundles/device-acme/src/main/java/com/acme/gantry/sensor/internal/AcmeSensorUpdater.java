package com.acme.gantry.sensor.internal;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateRequest;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.device.DownstreamDeviceUpdater;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Example vendor plugin: updates Acme sensors, simulated as A/B flash folders on disk, through the
 * downstream-device SPI. Each sensor checks every release itself with the release keys provisioned
 * into it ({@link DeviceKeys}). It compiles against the Gantry API and the release format library,
 * as a vendor's plugin would.
 */
@Component(configurationPid = "com.acme.gantry.sensor", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AcmeSensorConfig.class)
public final class AcmeSensorUpdater implements DownstreamDeviceUpdater {
    /** The device type Acme sensor firmware releases target. */
    public static final String DEVICE_TYPE = "acme-sensor";
    private static final System.Logger LOG = System.getLogger(AcmeSensorUpdater.class.getName());

    private final Path devicesDir;
    private final List<String> deviceIds;
    private final Path trustRoot;
    private final int minimumThreshold;
    private final long slotBytes;
    private final Map<String, Fault> faults = new HashMap<>();
    private final Clock clock;

    @Activate
    public AcmeSensorUpdater(AcmeSensorConfig config, Map<String, Object> properties) {
        this(config, Clock.systemUTC());
        LOG.log(System.Logger.Level.INFO, "Acme sensors attached: {0}", deviceIds);
    }

    AcmeSensorUpdater(AcmeSensorConfig config, Clock clock) {
        if (config.devicesDir() == null || config.devicesDir().isBlank()) {
            throw new IllegalArgumentException("devicesDir is not configured");
        }
        this.devicesDir = Path.of(config.devicesDir());
        this.deviceIds = ids(config);
        this.trustRoot = config.trustRootPath() == null || config.trustRootPath().isBlank() ? null
                : Path.of(config.trustRootPath());
        this.minimumThreshold = config.minimumThreshold();
        this.slotBytes = config.slotBytes();
        this.clock = clock;
        for (String f : config.faults() == null ? new String[0] : config.faults()) {
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("a fault is <deviceId>=<FAULT>: " + f);
            }
            faults.put(f.substring(0, eq).trim(), Fault.parse(f.substring(eq + 1)));
        }
    }

    private static List<String> ids(AcmeSensorConfig config) {
        if (config.deviceIds() != null && config.deviceIds().length > 0) {
            return List.of(config.deviceIds());
        }
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= config.deviceCount(); i++) {
            ids.add("sensor-" + i);
        }
        return List.copyOf(ids);
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
    public String firmwareVersion(String deviceId) throws DeviceUpdateException {
        try {
            return device(deviceId).version();
        } catch (IOException e) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, "sensor " + deviceId + ": " + e.getMessage());
        }
    }

    @Override
    public DeviceUpdateResult update(DeviceUpdateRequest request) throws DeviceUpdateException {
        String deviceId = request.deviceId();
        try {
            SimulatedAbDevice device = device(deviceId);
            Path dir = devicesDir.resolve(deviceId);
            DeviceKeys keys = DeviceKeys.load(dir, minimumThreshold, clock).follow(dir, request.trustRoots(), minimumThreshold);
            Fault fault = Fault.injected(devicesDir.resolve(deviceId));
            return device.install(keys, DEVICE_TYPE, request, fault != null ? fault : faults.get(deviceId));
        } catch (IOException e) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, "sensor " + deviceId + ": " + e.getMessage());
        }
    }

    private SimulatedAbDevice device(String deviceId) throws DeviceUpdateException, IOException {
        if (!deviceIds.contains(deviceId)) {
            throw new DeviceUpdateException(DeviceFailureCode.NO_SUCH_DEVICE, "no Acme sensor " + deviceId + " attached");
        }
        return SimulatedAbDevice.open(devicesDir.resolve(deviceId), trustRoot, slotBytes);
    }
}
