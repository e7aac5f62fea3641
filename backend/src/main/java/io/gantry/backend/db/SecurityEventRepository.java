package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

    /** @return at most {@code limit} events, newest first */
    public List<SecurityEventRow> newest(Connection c, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM security_events ORDER BY id DESC "
                + "FETCH FIRST ? ROWS ONLY")) {
            ps.setInt(1, limit);
            return rows(ps);
        }
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
