package io.gantry.backend.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/** The {@code target_tags} table (V13). */
final class TagRepository {

    boolean targetExists(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM targets WHERE controller_id = ?")) {
            ps.setString(1, controllerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Adds tags; one already present stays (portable: no MERGE, no ON CONFLICT). */
    void add(Connection c, String controllerId, Set<String> tags) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO target_tags (controller_id, tag) SELECT ?, ? "
                + "FROM targets WHERE controller_id = ? AND NOT EXISTS (SELECT 1 FROM target_tags WHERE controller_id = ? AND tag = ?)")) {
            for (String t : tags) {
                ps.setString(1, controllerId);
                ps.setString(2, t);
                ps.setString(3, controllerId);
                ps.setString(4, controllerId);
                ps.setString(5, t);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    void remove(Connection c, String controllerId, Set<String> tags) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM target_tags WHERE controller_id = ? AND tag = ?")) {
            for (String t : tags) {
                ps.setString(1, controllerId);
                ps.setString(2, t);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    Set<String> tags(Connection c, String controllerId) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tag FROM target_tags WHERE controller_id = ?")) {
            ps.setString(1, controllerId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
