package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code incident_frozen_rollouts} table: the rollouts a key-compromise freeze paused, by key
 * id, so that unfreeze resumes exactly those and no rollout an operator paused for another reason.
 */
public final class FrozenRolloutRepository {
    /** Records that the freeze for {@code keyId} paused {@code rolloutId} (again, if it was frozen and resumed before). */
    public void insert(Connection c, String keyId, long rolloutId, Instant now) throws SQLException {
        delete(c, keyId, rolloutId);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO incident_frozen_rollouts (key_id, rollout_id, frozen_at) VALUES (?, ?, ?)")) {
            ps.setString(1, keyId);
            ps.setLong(2, rolloutId);
            Timestamps.set(ps, 3, now);
            ps.executeUpdate();
        }
    }

    /** @return the rollouts the freeze for {@code keyId} paused, oldest first */
    public List<Long> list(Connection c, String keyId) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT rollout_id FROM incident_frozen_rollouts WHERE key_id = ? ORDER BY rollout_id")) {
            ps.setString(1, keyId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** Forgets one frozen rollout (after it was resumed, or ended). */
    public void delete(Connection c, String keyId, long rolloutId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM incident_frozen_rollouts WHERE key_id = ? AND rollout_id = ?")) {
            ps.setString(1, keyId);
            ps.setLong(2, rolloutId);
            ps.executeUpdate();
        }
    }
}
