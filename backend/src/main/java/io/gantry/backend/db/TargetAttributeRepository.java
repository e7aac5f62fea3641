package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The {@code target_attributes} table: what devices report through configData. */
public final class TargetAttributeRepository {

    /** Sets each given attribute (hawkBit mode "merge"). */
    public void merge(Connection c, String controllerId, Map<String, String> values, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(Dialect.of(c) == Dialect.POSTGRESQL
                ? "INSERT INTO target_attributes (controller_id, name, value_text, updated_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (controller_id, name) DO UPDATE SET value_text = EXCLUDED.value_text, "
                        + "updated_at = EXCLUDED.updated_at"
                : "MERGE INTO target_attributes (controller_id, name, value_text, updated_at) KEY (controller_id, name) "
                        + "VALUES (?, ?, ?, ?)")) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                ps.setString(1, controllerId);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                Timestamps.set(ps, 4, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Replaces all attributes of a target (mode "replace"). */
    public void replace(Connection c, String controllerId, Map<String, String> values, Instant now) throws SQLException {
        remove(c, controllerId, null);
        merge(c, controllerId, values, now);
    }

    /** Removes the named attributes, or all of them when {@code names} is null (mode "remove"). */
    public void remove(Connection c, String controllerId, Iterable<String> names) throws SQLException {
        if (names == null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM target_attributes WHERE controller_id = ?")) {
                ps.setString(1, controllerId);
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM target_attributes WHERE controller_id = ? AND name = ?")) {
            for (String n : names) {
                ps.setString(1, controllerId);
                ps.setString(2, n);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** @return whether the target reported any attribute (one index probe, for every poll) */
    public boolean hasAny(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM target_attributes WHERE controller_id = ? FETCH FIRST 1 ROW ONLY")) {
            ps.setString(1, controllerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** @return the target's attributes by name */
    public Map<String, String> list(Connection c, String controllerId) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, value_text FROM target_attributes WHERE controller_id = ?")) {
            ps.setString(1, controllerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }
}
