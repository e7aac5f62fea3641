package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fleet search over {@code targets} with its attributes, tags, installed releases and device
 * certificates. One portable SQL statement (H2 and PostgreSQL): every condition is an
 * {@code EXISTS} or scalar subquery with bound parameters, ordered by controller id (unique, so
 * pages are stable) and paged with {@code OFFSET ... FETCH NEXT}.
 */
public final class FleetRepository {
    /**
     * The subject a device certificate for the row's id carries ({@code CN=<id>,OU=devices,O=Gantry}
     * in RFC 2253 form, as the registry stores it). Ids are restricted to {@code [A-Za-z0-9._-]},
     * so the text is exact.
     */
    static final String DEVICE_SUBJECT = "'CN=' || t.controller_id || ',OU=devices,O=Gantry'";
    private static final String CERT_NOT_AFTER = "(SELECT MAX(c.not_after) FROM issued_certificates c WHERE c.subject = "
            + DEVICE_SUBJECT + " AND c.role = 'devices' AND c.status = 'GOOD')";
    /** The newest FINISHED action of each release name a target ran: what it has installed. */
    private static final String INSTALLED = "SELECT 1 FROM actions a JOIN releases r ON r.id = a.release_id"
            + " WHERE a.controller_id = t.controller_id AND a.status = 'FINISHED' AND NOT EXISTS (SELECT 1 FROM actions a2"
            + " JOIN releases r2 ON r2.id = a2.release_id WHERE a2.controller_id = a.controller_id AND a2.status = 'FINISHED'"
            + " AND r2.name = r.name AND a2.id > a.id)";

    /** One target in a search result. */
    public record FleetRow(String controllerId, String deviceType, Instant firstSeen, Instant lastSeen,
            Instant certificateNotAfter) {
    }

    /** @return how many targets match */
    public long count(Connection c, FleetCriteria criteria) throws SQLException {
        SqlConditions q = where(criteria);
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM targets t" + q.sql())) {
            q.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** @return up to {@code limit} matching targets after skipping {@code offset}, by controller id */
    public List<FleetRow> page(Connection c, FleetCriteria criteria, long offset, int limit) throws SQLException {
        SqlConditions q = where(criteria);
        String sql = "SELECT t.controller_id, t.first_seen, t.last_seen, (SELECT v.value_text FROM target_attributes v"
                + " WHERE v.controller_id = t.controller_id AND v.name = '" + FleetCriteria.DEVICE_TYPE_ATTRIBUTE + "') AS device_type, "
                + CERT_NOT_AFTER + " AS cert_not_after FROM targets t" + q.sql()
                + " ORDER BY t.controller_id OFFSET ? ROWS FETCH NEXT ? ROWS ONLY";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int next = q.bind(ps);
            ps.setLong(next, offset);
            ps.setInt(next + 1, limit);
            List<FleetRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new FleetRow(rs.getString("controller_id"), rs.getString("device_type"),
                            Timestamps.get(rs, "first_seen"), Timestamps.get(rs, "last_seen"), Timestamps.get(rs, "cert_not_after")));
                }
            }
            return out;
        }
    }

    private static SqlConditions where(FleetCriteria f) {
        SqlConditions q = new SqlConditions();
        f.deviceType().ifPresent(v -> attribute(q, FleetCriteria.DEVICE_TYPE_ATTRIBUTE, v));
        for (Map.Entry<String, String> a : new java.util.TreeMap<>(f.attributes()).entrySet()) {
            attribute(q, a.getKey(), a.getValue());
        }
        for (String tag : new java.util.TreeSet<>(f.tags())) {
            q.and("EXISTS (SELECT 1 FROM target_tags g WHERE g.controller_id = t.controller_id AND g.tag = ?)", tag);
        }
        if (f.release().isPresent() || f.version().isPresent()) {
            StringBuilder installed = new StringBuilder("EXISTS (" + INSTALLED);
            List<Object> args = new ArrayList<>();
            f.release().ifPresent(n -> {
                installed.append(" AND r.name = ?");
                args.add(n);
            });
            f.version().ifPresent(v -> {
                installed.append(" AND r.version = ?");
                args.add(v);
            });
            q.and(installed.append(")").toString(), args.toArray());
        }
        f.lastSeenBefore().ifPresent(i -> q.and("t.last_seen < ?", i));
        f.lastSeenAfter().ifPresent(i -> q.and("t.last_seen >= ?", i));
        f.certExpiresBefore().ifPresent(i -> q.and(CERT_NOT_AFTER + " < ?", i));
        return q;
    }

    private static void attribute(SqlConditions q, String name, String value) {
        q.and("EXISTS (SELECT 1 FROM target_attributes x WHERE x.controller_id = t.controller_id AND x.name = ?"
                + " AND x.value_text = ?)", name, value);
    }
}
