package io.gantry.backend.devices;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads the per-device lines of a gateway's DDI feedback into the model of its devices. What a
 * gateway says of its devices is its claim, recorded as such (like configData attributes): it
 * never changes an action's verdict, and other detail lines are left alone.
 */
public final class GatewayDevices {
    private static final System.Logger LOG = System.getLogger(GatewayDevices.class.getName());
    private final GatewayDeviceRepository repository = new GatewayDeviceRepository();

    /**
     * Records every device line among {@code details}, in order (a later line about the same device wins).
     *
     * @return how many device lines were recorded
     */
    public int recordFeedback(Connection c, String controllerId, long actionId, List<String> details, Instant now)
            throws SQLException {
        int recorded = 0;
        for (String detail : details) {
            Optional<DeviceLine> line = DeviceLine.parse(detail);
            if (line.isEmpty()) {
                continue;
            }
            if (repository.record(c, controllerId, actionId, line.get(), now)) {
                recorded++;
            } else {
                LOG.log(System.Logger.Level.WARNING, "gateway {0} reports more than {1} devices: {2} not recorded",
                        controllerId, GatewayDeviceRepository.MAX_DEVICES_PER_GATEWAY, line.get().deviceId());
            }
        }
        return recorded;
    }

    /** @return the devices behind the gateway */
    public List<GatewayDevice> list(Connection c, String controllerId) throws SQLException {
        return repository.list(c, controllerId);
    }
}
