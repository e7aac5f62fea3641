package io.gantry.backend.devices;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code gateway_devices} table (V11): one row per device behind a gateway. Plain SQL (update,
 * else insert) that runs on H2 and PostgreSQL alike.
 */
public final class GatewayDeviceRepository {
    /** Most devices kept per gateway: a gateway cannot fill the table with invented devices. */
    public static final int MAX_DEVICES_PER_GATEWAY = 1000;
    /** Longest message kept. */
    public static final int MAX_MESSAGE = 1024;

    /**
     * Records what one line says of a device.
     *
     * @return false if the device is new and the gateway already has {@link #MAX_DEVICES_PER_GATEWAY}
     */
    public boolean record(Connection c, String controllerId, long actionId, DeviceLine line, Instant now) throws SQLException {
        String message = line.text() == null ? null : line.text().length() <= MAX_MESSAGE ? line.text()
                : line.text().substring(0, MAX_MESSAGE);
        try (PreparedStatement ps = c.prepareStatement("UPDATE gateway_devices SET running_version = ?, last_release = ?,"
                + " last_result = ?, last_code = ?, last_message = ?, last_action_id = ?, updated_at = ?"
                + " WHERE controller_id = ? AND device_type = ? AND device_id = ?")) {
            ps.setString(1, line.version());
            ps.setString(2, line.release());
            ps.setString(3, line.result());
            ps.setString(4, line.code());
            ps.setString(5, message);
            ps.setLong(6, actionId);
            ps.setObject(7, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setString(8, controllerId);
            ps.setString(9, line.type());
            ps.setString(10, line.deviceId());
            if (ps.executeUpdate() > 0) {
                return true;
            }
        }
        if (count(c, controllerId) >= MAX_DEVICES_PER_GATEWAY) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gateway_devices (controller_id, device_type, device_id,"
                + " running_version, last_release, last_result, last_code, last_message, last_action_id, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, controllerId);
            ps.setString(2, line.type());
            ps.setString(3, line.deviceId());
            ps.setString(4, line.version());
            ps.setString(5, line.release());
            ps.setString(6, line.result());
            ps.setString(7, line.code());
            ps.setString(8, message);
            ps.setLong(9, actionId);
            ps.setObject(10, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
        }
        return true;
    }

    private static int count(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM gateway_devices WHERE controller_id = ?")) {
            ps.setString(1, controllerId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** @return the devices behind the gateway, by type and id */
    public List<GatewayDevice> list(Connection c, String controllerId) throws SQLException {
        List<GatewayDevice> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id, device_type, running_version, last_release,"
                + " last_result, last_code, last_message, last_action_id, updated_at FROM gateway_devices"
                + " WHERE controller_id = ? ORDER BY device_type, device_id")) {
            ps.setString(1, controllerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new GatewayDevice(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8),
                            rs.getObject(9, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return out;
    }
}
