package io.gantry.backend.rollout;

import io.gantry.backend.db.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code rollouts}, {@code rollout_groups} and {@code rollout_members} tables (V13). Every
 * state change is a conditional UPDATE that names the state it expects ({@code ... WHERE state = ?})
 * and reports whether it won, so of two backend nodes doing the same step only one succeeds.
 */
final class RolloutRepository {
    private static final String COLUMNS = "id, spec, state, pause_reason, failures_baseline, closed_baseline, created_at, updated_at";

    long insert(Connection c, RolloutSpec spec, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollouts (name, release_id, state, spec, created_at, "
                + "updated_at) VALUES (?, ?, 'CREATED', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, spec.name());
            ps.setLong(2, spec.releaseId());
            ps.setString(3, RolloutSpecJson.toJson(spec).toString());
            SqlTime.set(ps, 4, now);
            SqlTime.set(ps, 5, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    Optional<RolloutRow> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM rollouts WHERE id = ?")) {
            ps.setLong(1, id);
            return read(ps).stream().findFirst();
        }
    }

    List<RolloutRow> list(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM rollouts ORDER BY id")) {
            return read(ps);
        }
    }

    List<Long> idsIn(Connection c, RolloutState state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM rollouts WHERE state = ? ORDER BY id")) {
            ps.setString(1, state.name());
            return longs(ps);
        }
    }

    /** Compare-and-set of the rollout state; @return whether this call moved it. */
    boolean transition(Connection c, long id, RolloutState from, RolloutState to, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rollouts SET state = ?, pause_reason = ?, updated_at = ? "
                + "WHERE id = ? AND state = ?")) {
            ps.setString(1, to.name());
            ps.setString(2, reason);
            SqlTime.set(ps, 3, now);
            ps.setLong(4, id);
            ps.setString(5, from.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** PAUSED to RUNNING, the error threshold counting from {@code failures}/{@code closed}; @return whether this call moved it. */
    boolean resume(Connection c, long id, int failures, int closed, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rollouts SET state = 'RUNNING', pause_reason = NULL, "
                + "failures_baseline = ?, closed_baseline = ?, updated_at = ? WHERE id = ? AND state = 'PAUSED'")) {
            ps.setInt(1, failures);
            ps.setInt(2, closed);
            SqlTime.set(ps, 3, now);
            ps.setLong(4, id);
            return ps.executeUpdate() == 1;
        }
    }

    void insertGroup(Connection c, long rolloutId, int position, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_groups (rollout_id, position, name, state) "
                + "VALUES (?, ?, ?, 'SCHEDULED')")) {
            ps.setLong(1, rolloutId);
            ps.setInt(2, position);
            ps.setString(3, name);
            ps.executeUpdate();
        }
    }

    /** Compare-and-set of a group's state; @return whether this call moved it. */
    boolean transitionGroup(Connection c, long rolloutId, int position, GroupState from, GroupState to, Instant now)
            throws SQLException {
        String stamp = to == GroupState.RUNNING ? "started_at" : "finished_at";
        try (PreparedStatement ps = c.prepareStatement("UPDATE rollout_groups SET state = ?, " + stamp + " = ? "
                + "WHERE rollout_id = ? AND position = ? AND state = ?")) {
            ps.setString(1, to.name());
            SqlTime.set(ps, 2, now);
            ps.setLong(3, rolloutId);
            ps.setInt(4, position);
            ps.setString(5, from.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** Adds members; a device already a member of the rollout is skipped. */
    void insertMembers(Connection c, long rolloutId, int position, List<String> controllerIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollout_members (rollout_id, controller_id, group_position) "
                + "SELECT ?, ?, ? FROM rollouts WHERE id = ? AND NOT EXISTS (SELECT 1 FROM rollout_members "
                + "WHERE rollout_id = ? AND controller_id = ?)")) {
            for (String id : controllerIds) {
                ps.setLong(1, rolloutId);
                ps.setString(2, id);
                ps.setInt(3, position);
                ps.setLong(4, rolloutId);
                ps.setLong(5, rolloutId);
                ps.setString(6, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** @return the targets the filter selects, by controller id; with {@code notIn}, only those not yet members of that rollout */
    List<String> matching(Connection c, TargetFilter filter, Optional<Long> notIn) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT t.controller_id FROM targets t WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        for (Map.Entry<String, String> e : filter.attributeConditions().entrySet()) {
            sql.append(" AND EXISTS (SELECT 1 FROM target_attributes a WHERE a.controller_id = t.controller_id"
                    + " AND a.name = ? AND a.value_text = ?)");
            args.add(e.getKey());
            args.add(e.getValue());
        }
        for (String tag : filter.tags()) {
            sql.append(" AND EXISTS (SELECT 1 FROM target_tags g WHERE g.controller_id = t.controller_id AND g.tag = ?)");
            args.add(tag);
        }
        if (notIn.isPresent()) {
            sql.append(" AND NOT EXISTS (SELECT 1 FROM rollout_members m WHERE m.rollout_id = ? AND m.controller_id = t.controller_id)");
            args.add(notIn.get());
        }
        sql.append(" ORDER BY t.controller_id");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** @return each group with its counts, in order */
    List<GroupProgress> progress(Connection c, long rolloutId) throws SQLException {
        List<GroupProgress> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT g.position, g.name, g.state, COUNT(m.controller_id) AS total, "
                + "SUM(CASE WHEN m.controller_id IS NOT NULL AND m.action_id IS NULL AND m.held_reason IS NOT NULL THEN 1 ELSE 0 END) AS held, "
                + "SUM(CASE WHEN m.controller_id IS NOT NULL AND m.action_id IS NULL AND m.held_reason IS NULL THEN 1 ELSE 0 END) AS waiting, "
                + "SUM(CASE WHEN a.status IN ('PENDING', 'RUNNING', 'CANCELING') THEN 1 ELSE 0 END) AS open_actions, "
                + "SUM(CASE WHEN a.status = 'FINISHED' THEN 1 ELSE 0 END) AS succeeded, "
                + "SUM(CASE WHEN a.status = 'ERROR' THEN 1 ELSE 0 END) AS failed, "
                + "SUM(CASE WHEN a.status = 'CANCELED' THEN 1 ELSE 0 END) AS canceled "
                + "FROM rollout_groups g LEFT JOIN rollout_members m ON m.rollout_id = g.rollout_id AND m.group_position = g.position "
                + "LEFT JOIN actions a ON a.id = m.action_id WHERE g.rollout_id = ? "
                + "GROUP BY g.position, g.name, g.state ORDER BY g.position")) {
            ps.setLong(1, rolloutId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new GroupProgress(rs.getInt("position"), rs.getString("name"), GroupState.valueOf(rs.getString("state")),
                            rs.getInt("total"), rs.getInt("held"), rs.getInt("waiting"), rs.getInt("open_actions"),
                            rs.getInt("succeeded"), rs.getInt("failed"), rs.getInt("canceled")));
                }
            }
        }
        return out;
    }

    /** @return members of groups at or before {@code lastPosition} without an action, in group then id order */
    List<String> unstarted(Connection c, long rolloutId, int lastPosition, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT controller_id FROM rollout_members WHERE rollout_id = ? "
                + "AND group_position <= ? AND action_id IS NULL ORDER BY group_position, controller_id FETCH FIRST "
                + Math.max(1, limit) + " ROWS ONLY")) {
            ps.setLong(1, rolloutId);
            ps.setInt(2, lastPosition);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** Records the member's action, unless another node started it first; @return whether this call did. */
    boolean markStarted(Connection c, long rolloutId, String controllerId, long actionId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rollout_members SET action_id = ?, started_at = ?, "
                + "held_reason = NULL WHERE rollout_id = ? AND controller_id = ? AND action_id IS NULL")) {
            ps.setLong(1, actionId);
            SqlTime.set(ps, 2, now);
            ps.setLong(3, rolloutId);
            ps.setString(4, controllerId);
            return ps.executeUpdate() == 1;
        }
    }

    void hold(Connection c, long rolloutId, String controllerId, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rollout_members SET held_reason = ? WHERE rollout_id = ? "
                + "AND controller_id = ? AND action_id IS NULL")) {
            ps.setString(1, reason.length() > 512 ? reason.substring(0, 512) : reason);
            ps.setLong(2, rolloutId);
            ps.setString(3, controllerId);
            ps.executeUpdate();
        }
    }

    /** @return devices of the rollout started after {@code since} */
    int startedSince(Connection c, long rolloutId, Instant since) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM rollout_members WHERE rollout_id = ? AND started_at > ?")) {
            ps.setLong(1, rolloutId);
            SqlTime.set(ps, 2, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** @return ids of the rollout's actions still PENDING or RUNNING */
    List<Long> cancelableActions(Connection c, long rolloutId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.id FROM rollout_members m JOIN actions a ON a.id = m.action_id "
                + "WHERE m.rollout_id = ? AND a.status IN ('PENDING', 'RUNNING') ORDER BY a.id")) {
            ps.setLong(1, rolloutId);
            return longs(ps);
        }
    }

    /** @return held devices and why, by controller id */
    Map<String, String> held(Connection c, long rolloutId) throws SQLException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT controller_id, held_reason FROM rollout_members WHERE rollout_id = ? "
                + "AND action_id IS NULL AND held_reason IS NOT NULL")) {
            ps.setLong(1, rolloutId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * @return when the device's newest GOOD certificate expires (subject {@code CN=<id>} or {@code CN=<id>,...}),
     *     if one is on record. Two indexed lookups (one per device start, so at 100,000 devices a scan per start
     *     was the rollout's bottleneck): the exact subject, then the byte-wise range of subjects starting with
     *     {@code CN=<id>,} (V27: PostgreSQL's {@code text_pattern_ops} index; H2 compares by code point).
     */
    Optional<Instant> certificateExpiry(Connection c, String controllerId) throws SQLException {
        String exact = "CN=" + controllerId;
        Instant newest = newestGood(c, "subject = ?", exact, null);
        // Every subject starting with "CN=<id>," sorts (byte-wise) from that prefix up to, not including, "CN=<id>-".
        String range = Dialect.of(c) == Dialect.POSTGRESQL ? "subject ~>=~ ? AND subject ~<~ ?" : "subject >= ? AND subject < ?";
        Instant prefixed = newestGood(c, range, exact + ",", exact + "-");
        return Optional.ofNullable(newest == null || (prefixed != null && prefixed.isAfter(newest)) ? prefixed : newest);
    }

    private static Instant newestGood(Connection c, String condition, String first, String second) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(not_after) AS expiry FROM issued_certificates WHERE "
                + condition + " AND status = 'GOOD'")) {
            ps.setString(1, first);
            if (second != null) {
                ps.setString(2, second);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? SqlTime.get(rs, "expiry") : null;
            }
        }
    }

    /** @return the device's attribute {@code name}, if it reported one */
    Optional<String> attribute(Connection c, String controllerId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value_text FROM target_attributes WHERE controller_id = ? AND name = ?")) {
            ps.setString(1, controllerId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static List<Long> longs(PreparedStatement ps) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static List<RolloutRow> read(PreparedStatement ps) throws SQLException {
        List<RolloutRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new RolloutRow(rs.getLong("id"), RolloutSpecJson.read(rs.getString("spec")),
                        RolloutState.valueOf(rs.getString("state")), rs.getString("pause_reason"), rs.getInt("failures_baseline"),
                        rs.getInt("closed_baseline"), SqlTime.get(rs, "created_at"), SqlTime.get(rs, "updated_at")));
            }
        }
        return rows;
    }
}
