package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code targets} table.
 *
 * <p><b>Polls of known targets are written behind.</b> A device's first poll on this node creates
 * or updates its row in the poll's own transaction, as before. After that, a poll only notes its
 * time here, and {@link #flushLastSeen} writes every noted time in one batch (the backend calls it
 * every second, and once more when it stops), so a steady poll is a read-only transaction. Reading
 * a target through {@link #find} first writes that target's noted time in the reader's transaction,
 * so on this node {@code last_seen} reads exactly as if each poll had written it. Another node on
 * the same database sees it at most one flush interval late. hawkBit does the same
 * ({@code pollPersistenceFlushTime}).
 */
public final class TargetRepository {
    /** Beyond this many targets remembered as existing, the memory is dropped and first polls write again. */
    static final int MAX_KNOWN = 1_000_000;
    private static final String WRITE_LAST_SEEN = "UPDATE targets SET last_seen = CASE WHEN last_seen IS NULL OR last_seen < ? "
            + "THEN ? ELSE last_seen END WHERE controller_id = ?";
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> pending = new ConcurrentHashMap<>();

    /**
     * Records a poll: creates the target on first contact, else notes {@code now} as its
     * {@code last_seen} (written by {@link #flushLastSeen}, or by {@link #find} before it reads).
     */
    public void recordPoll(Connection c, String controllerId, Instant now) throws SQLException {
        if (known.contains(controllerId)) {
            pending.merge(controllerId, now, (a, b) -> a.isAfter(b) ? a : b);
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE targets SET last_seen = ? WHERE controller_id = ?")) {
            Timestamps.set(ps, 1, now);
            ps.setString(2, controllerId);
            if (ps.executeUpdate() != 1) {
                insert(c, controllerId, now, now);
            }
        }
        // Should this transaction roll back, the next flush finds no row and forgets the target again.
        remember(controllerId);
    }

    private void remember(String controllerId) {
        if (known.size() >= MAX_KNOWN) {
            known.clear();
        }
        known.add(controllerId);
    }

    /**
     * Writes every noted poll time in one transaction of {@code database}; a time never moves
     * {@code last_seen} backwards (another node may have written a later one).
     *
     * @return how many targets were written
     */
    public int flushLastSeen(Database database) throws SQLException {
        if (pending.isEmpty()) {
            return 0;
        }
        Map<String, Instant> batch = new java.util.HashMap<>();
        for (String id : pending.keySet()) {
            Instant t = pending.remove(id);
            if (t != null) {
                batch.put(id, t);
            }
        }
        try {
            database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(WRITE_LAST_SEEN)) {
                    java.util.List<String> order = new java.util.ArrayList<>(batch.keySet());
                    for (String id : order) {
                        bind(ps, id, batch.get(id));
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    for (int i = 0; i < counts.length; i++) {
                        if (counts[i] == 0) {
                            known.remove(order.get(i)); // no row (its first poll rolled back): the next poll creates it
                        }
                    }
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            // Not lost: put back unless a newer poll was noted meanwhile.
            batch.forEach((id, t) -> pending.merge(id, t, (a, b) -> a.isAfter(b) ? a : b));
            throw e;
        }
        return batch.size();
    }

    private static void bind(PreparedStatement ps, String controllerId, Instant seen) throws SQLException {
        Timestamps.set(ps, 1, seen);
        Timestamps.set(ps, 2, seen);
        ps.setString(3, controllerId);
    }

    /** Creates the target row unless it exists (for an assignment before the first poll). */
    public void ensureExists(Connection c, String controllerId, Instant now) throws SQLException {
        if (find(c, controllerId).isEmpty()) {
            insert(c, controllerId, now, null);
        }
    }

    /** @return the target, if known, with any poll time noted on this node written first */
    public Optional<TargetRow> find(Connection c, String controllerId) throws SQLException {
        Instant noted = pending.remove(controllerId);
        if (noted != null) {
            try (PreparedStatement ps = c.prepareStatement(WRITE_LAST_SEEN)) {
                bind(ps, controllerId, noted);
                ps.executeUpdate();
            }
        }
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
