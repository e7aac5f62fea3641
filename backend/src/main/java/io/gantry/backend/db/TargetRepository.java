package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The {@code targets} table. */
public final class TargetRepository {
    /** Records a poll: creates the target on first contact, else updates {@code last_seen}. */
    public void recordPoll(Connection c, String controllerId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE targets SET last_seen = ? WHERE controller_id = ?")) {
            Timestamps.set(ps, 1, now);
            ps.setString(2, controllerId);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        insert(c, controllerId, now, now);
    }

    /** Creates the target row unless it exists (for an assignment before the first poll). */
    public void ensureExists(Connection c, String controllerId, Instant now) throws SQLException {
        if (find(c, controllerId).isEmpty()) {
            insert(c, controllerId, now, null);
        }
    }

    /** @return the target, if known */
    public Optional<TargetRow> find(Connection c, String controllerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT controller_id, first_seen, last_seen FROM targets WHERE controller_id = ?")) {
            ps.setString(1, controllerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new TargetRow(rs.getString("controller_id"), Timestamps.get(rs, "first_seen"),
                        Timestamps.get(rs, "last_seen")));
            }
        }
    }

    private static void insert(Connection c, String controllerId, Instant firstSeen, Instant lastSeen) throws SQLException {
        // PostgreSQL ends the transaction at a failed statement, so there the conflict is not raised at all.
        try (PreparedStatement ps = c.prepareStatement(Dialect.of(c) == Dialect.POSTGRESQL
                ? "INSERT INTO targets (controller_id, first_seen, last_seen) VALUES (?, ?, ?) ON CONFLICT (controller_id) DO NOTHING"
                : "INSERT INTO targets (controller_id, first_seen, last_seen) VALUES (?, ?, ?)")) {
            ps.setString(1, controllerId);
            Timestamps.set(ps, 2, firstSeen);
            Timestamps.set(ps, 3, lastSeen);
            ps.executeUpdate();
        } catch (SQLException e) {
            // A concurrent first poll created it: the row exists, which is all we need.
            if (!Dialect.isDuplicateKey(e)) {
                throw e;
            }
        }
    }
}
