package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code security_events} table. Values longer than their column are cut, never refused: a
 * rejection is recorded even when the client sent an absurdly long path or subject.
 */
public final class SecurityEventRepository {
    /** Longest stored code. */
    public static final int MAX_CODE = 64;
    /** Longest stored subject. */
    public static final int MAX_SUBJECT = 512;
    /** Longest stored remote address. */
    public static final int MAX_REMOTE_ADDRESS = 128;
    /** Longest stored detail. */
    public static final int MAX_DETAIL = 2000;
    private static final String COLUMNS = "id, occurred_at, code, subject, remote_address, detail";

    /**
     * Appends an event.
     *
     * @return its id
     */
    public long insert(Connection c, Instant at, String code, String subject, String remoteAddress, String detail)
            throws SQLException {
        Objects.requireNonNull(code, "code");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO security_events (occurred_at, code, subject, "
                + "remote_address, detail) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            Timestamps.set(ps, 1, at);
            ps.setString(2, clip(code, MAX_CODE));
            ps.setString(3, clip(subject, MAX_SUBJECT));
            ps.setString(4, clip(remoteAddress, MAX_REMOTE_ADDRESS));
            ps.setString(5, clip(detail, MAX_DETAIL));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Deletes every event whose id is at most {@code id}.
     *
     * @return how many rows went
     */
    public int deleteUpTo(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM security_events WHERE id <= ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate();
        }
    }

    /**
     * @param offset how many of the newest rows to pass over
     * @param codes only rows with one of these codes, or every row when {@code null}
     * @return the id of the row {@code offset} places below the newest, or 0 if there are not that many
     */
    public long idAtOffset(Connection c, long offset, Set<String> codes) throws SQLException {
        List<String> only = codes == null ? List.of() : List.copyOf(codes);
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM security_events"
                + (codes == null ? "" : " WHERE code IN (" + placeholders(only.size()) + ")")
                + " ORDER BY id DESC OFFSET ? ROWS FETCH FIRST 1 ROWS ONLY")) {
            for (int i = 0; i < only.size(); i++) {
                ps.setString(1 + i, only.get(i));
            }
            ps.setLong(1 + only.size(), offset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Deletes the events with an id of at most {@code id} and one of {@code codes}.
     *
     * @return how many rows went
     */
    public int deleteUpTo(Connection c, long id, Set<String> codes) throws SQLException {
        List<String> only = List.copyOf(codes);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM security_events WHERE id <= ? AND code IN ("
                + placeholders(only.size()) + ")")) {
            ps.setLong(1, id);
            for (int i = 0; i < only.size(); i++) {
                ps.setString(2 + i, only.get(i));
            }
            return ps.executeUpdate();
        }
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** @return at most {@code limit} events, newest first */
    public List<SecurityEventRow> newest(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM security_events ORDER BY id DESC "
                + "FETCH FIRST ? ROWS ONLY")) {
            ps.setInt(1, limit);
            return rows(ps);
        }
    }

    /**
     * @return up to {@code limit} events matching every given filter ({@code since} inclusive,
     *     {@code until} exclusive) after skipping {@code offset}, newest first
     */
    public List<SecurityEventRow> search(Connection c, Optional<String> code, Optional<String> subject, Optional<Instant> since,
            Optional<Instant> until, long offset, int limit) throws SQLException {
        SqlConditions q = filter(code, subject, since, until);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM security_events" + q.sql()
                + " ORDER BY id DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
            int i = q.bind(ps);
            ps.setLong(i, offset);
            ps.setInt(i + 1, limit);
            return rows(ps);
        }
    }

    /** @return how many events match every given filter */
    public long countMatching(Connection c, Optional<String> code, Optional<String> subject, Optional<Instant> since,
            Optional<Instant> until) throws SQLException {
        SqlConditions q = filter(code, subject, since, until);
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM security_events" + q.sql())) {
            q.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static SqlConditions filter(Optional<String> code, Optional<String> subject, Optional<Instant> since,
            Optional<Instant> until) {
        return new SqlConditions().andIf("code = ?", code).andIf("subject = ?", subject).andIf("occurred_at >= ?", since)
                .andIf("occurred_at < ?", until);
    }

    private static List<SecurityEventRow> rows(PreparedStatement ps) throws SQLException {
        List<SecurityEventRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SecurityEventRow(rs.getLong("id"), Timestamps.get(rs, "occurred_at"), rs.getString("code"),
                        rs.getString("subject"), rs.getString("remote_address"), rs.getString("detail")));
            }
        }
        return out;
    }

    /** @return at most {@code limit} events with an id above {@code afterId}, oldest first */
    public List<SecurityEventRow> after(Connection c, long afterId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM security_events WHERE id > ? "
                + "ORDER BY id FETCH FIRST ? ROWS ONLY")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            return rows(ps);
        }
    }

    /** @return the highest event id, or 0 when there is none */
    public long maxId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM security_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return how many events are stored */
    public long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM security_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Cuts {@code s} to {@code max} characters without splitting a surrogate pair. */
    static String clip(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
