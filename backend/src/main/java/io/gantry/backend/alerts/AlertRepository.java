package io.gantry.backend.alerts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code fleet_alerts} table (V21): plain SQL that H2 and PostgreSQL both run. */
public final class AlertRepository {
    private static final String COLUMNS = "id, kind, subject_type, subject, dedup_key, severity, state, message, first_seen, "
            + "last_seen, seen_count, acknowledged_by, acknowledged_at, resolved_at";

    /** @return the unresolved alert with this key, row-locked, if any */
    public Optional<FleetAlert> activeForUpdate(Connection c, String dedupKey) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM fleet_alerts WHERE active_key = ? FOR UPDATE", dedupKey);
    }

    /** @return the alert with this id, if any */
    public Optional<FleetAlert> find(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM fleet_alerts WHERE id = ?", id);
    }

    /** @return the alert with this id, row-locked, if any */
    public Optional<FleetAlert> findForUpdate(Connection c, long id) throws SQLException {
        return one(c, "SELECT " + COLUMNS + " FROM fleet_alerts WHERE id = ? FOR UPDATE", id);
    }

    /** @return every unresolved alert of these kinds */
    public List<FleetAlert> active(Connection c, Set<AlertKind> kinds) throws SQLException {
        if (kinds.isEmpty()) {
            return List.of();
        }
        String in = kinds.stream().map(k -> "'" + k.name() + "'").collect(Collectors.joining(","));
        return many(c, "SELECT " + COLUMNS + " FROM fleet_alerts WHERE state <> 'RESOLVED' AND kind IN (" + in + ") ORDER BY id");
    }

    /** Stores a new OPEN alert; @return its id */
    public long insert(Connection c, Finding f, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_alerts (kind, subject_type, subject, dedup_key, "
                + "active_key, severity, state, message, first_seen, last_seen, seen_count) VALUES (?,?,?,?,?,?,'OPEN',?,?,?,1)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, f.kind().name());
            ps.setString(2, f.subjectType().name());
            ps.setString(3, f.subject());
            ps.setString(4, f.dedupKey());
            ps.setString(5, f.dedupKey());
            ps.setString(6, f.severity().name());
            ps.setString(7, f.message());
            ps.setObject(8, utc(now));
            ps.setObject(9, utc(now));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Records that a run found the alert again. */
    public void seenAgain(Connection c, long id, AlertSeverity severity, String message, Instant now) throws SQLException {
        update(c, "UPDATE fleet_alerts SET severity = ?, message = ?, last_seen = ?, seen_count = seen_count + 1 WHERE id = ?",
                severity.name(), message, utc(now), id);
    }

    /** Resolves an unresolved alert; @return whether this call resolved it */
    public boolean resolve(Connection c, long id, Instant now) throws SQLException {
        return update(c, "UPDATE fleet_alerts SET state = 'RESOLVED', active_key = NULL, resolved_at = ? "
                + "WHERE id = ? AND state <> 'RESOLVED'", utc(now), id) == 1;
    }

    /** OPEN to ACKNOWLEDGED; @return whether this call moved it */
    public boolean acknowledge(Connection c, long id, String by, Instant now) throws SQLException {
        return update(c, "UPDATE fleet_alerts SET state = 'ACKNOWLEDGED', acknowledged_by = ?, acknowledged_at = ? "
                + "WHERE id = ? AND state = 'OPEN'", by, utc(now), id) == 1;
    }

    /**
     * @param state only this state, or {@code null} for all
     * @param kind only this kind, or {@code null} for all
     * @return one page of alerts, newest first
     */
    public List<FleetAlert> list(Connection c, AlertState state, AlertKind kind, long offset, int limit) throws SQLException {
        return many(c, "SELECT " + COLUMNS + " FROM fleet_alerts" + where(state, kind) + " ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY",
                params(state, kind, offset, limit));
    }

    /** @return how many alerts {@link #list} could return in all */
    public long count(Connection c, AlertState state, AlertKind kind) throws SQLException {
        try (PreparedStatement ps = prepare(c, "SELECT COUNT(*) FROM fleet_alerts" + where(state, kind), params(state, kind));
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return unresolved (OPEN or ACKNOWLEDGED) alerts by kind; kinds without any are absent */
    public Map<AlertKind, Long> unresolvedByKind(Connection c) throws SQLException {
        Map<AlertKind, Long> out = new EnumMap<>(AlertKind.class);
        try (PreparedStatement ps = c.prepareStatement("SELECT kind, COUNT(*) FROM fleet_alerts WHERE state <> 'RESOLVED' GROUP BY kind");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(AlertKind.valueOf(rs.getString(1)), rs.getLong(2));
            }
        }
        return out;
    }

    private static String where(AlertState state, AlertKind kind) {
        List<String> terms = new ArrayList<>();
        if (state != null) {
            terms.add("state = ?");
        }
        if (kind != null) {
            terms.add("kind = ?");
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    private static Object[] params(AlertState state, AlertKind kind, Object... more) {
        List<Object> p = new ArrayList<>();
        if (state != null) {
            p.add(state.name());
        }
        if (kind != null) {
            p.add(kind.name());
        }
        p.addAll(List.of(more));
        return p.toArray();
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    private static Optional<FleetAlert> one(Connection c, String sql, Object param) throws SQLException {
        List<FleetAlert> rows = many(c, sql, param);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private static List<FleetAlert> many(Connection c, String sql, Object... params) throws SQLException {
        List<FleetAlert> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new FleetAlert(rs.getLong("id"), AlertKind.valueOf(rs.getString("kind")),
                        AlertSubject.valueOf(rs.getString("subject_type")), rs.getString("subject"), rs.getString("dedup_key"),
                        AlertSeverity.valueOf(rs.getString("severity")), AlertState.valueOf(rs.getString("state")),
                        rs.getString("message"), instant(rs, "first_seen"), instant(rs, "last_seen"), rs.getLong("seen_count"),
                        rs.getString("acknowledged_by"), instant(rs, "acknowledged_at"), instant(rs, "resolved_at")));
            }
        }
        return out;
    }

    private static OffsetDateTime utc(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
