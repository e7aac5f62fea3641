package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code trust_root_activations} table: which trust-root release made the backend switch to
 * which trust-root version. The primary key on the version makes two concurrent rotations to the
 * same version impossible: the second insert fails and its upload stores nothing.
 */
public final class TrustRootActivationRepository {
    /** One activation. */
    public record Activation(long version, long releaseId, Instant activatedAt) {
    }

    /** Records that {@code version} became current from release {@code releaseId}. */
    public void insert(Connection c, long version, long releaseId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO trust_root_activations (version, release_id, activated_at) VALUES (?, ?, ?)")) {
            ps.setLong(1, version);
            ps.setLong(2, releaseId);
            Timestamps.set(ps, 3, now);
            ps.executeUpdate();
        }
    }

    /** @return the activations above {@code version}, lowest version first */
    public List<Activation> listAbove(Connection c, long version) throws SQLException {
        List<Activation> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT version, release_id, activated_at FROM trust_root_activations WHERE version > ? ORDER BY version")) {
            ps.setLong(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Activation(rs.getLong("version"), rs.getLong("release_id"), Timestamps.get(rs, "activated_at")));
                }
            }
        }
        return out;
    }
}
