package io.gantry.backend.mgmt;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Reads of the certificate registry's table ({@code issued_certificates}) for expiry summaries. */
final class CertificateExpiry {
    /** Upper ends of the windows, in days from now; the last window is open-ended. */
    static final List<Integer> WINDOWS = List.of(0, 7, 30, 90, 365);

    /** A count of GOOD certificates whose end of validity falls in a window ({@code toDays} null: beyond the last). */
    record Window(String label, Integer fromDays, Integer toDays, long count) {
    }

    /** One certificate as the registry holds it. */
    record Certificate(String serial, String subject, String role, String status, String notAfter, String revokedAt) {
    }

    List<Window> windows(Connection c, String role, Instant now) throws SQLException {
        List<Window> out = new ArrayList<>();
        Integer from = null;
        for (int i = 0; i <= WINDOWS.size(); i++) {
            Integer to = i < WINDOWS.size() ? WINDOWS.get(i) : null;
            out.add(new Window(label(from, to), from, to, count(c, role, at(now, from), at(now, to))));
            from = to;
        }
        return out;
    }

    private static String label(Integer from, Integer to) {
        if (from == null) {
            return "expired";
        }
        return to == null ? "> " + from + " d" : from + "-" + to + " d";
    }

    private static Instant at(Instant now, Integer days) {
        return days == null ? null : now.plus(Duration.ofDays(days));
    }

    private static long count(Connection c, String role, Instant from, Instant to) throws SQLException {
        String sql = "SELECT COUNT(*) FROM issued_certificates WHERE status = 'GOOD' AND role = ?"
                + (from == null ? "" : " AND not_after >= ?") + (to == null ? "" : " AND not_after < ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, role);
            if (from != null) {
                ps.setObject(i++, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            }
            if (to != null) {
                ps.setObject(i, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    List<Certificate> soonest(Connection c, String role, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT serial, subject, role, status, not_after, revoked_at "
                + "FROM issued_certificates WHERE status = 'GOOD' AND role = ? ORDER BY not_after, serial")) {
            ps.setString(1, role);
            ps.setMaxRows(limit);
            return read(ps);
        }
    }

    /** Subjects are stored as {@code CN=<name>[,OU=...]}: match the CN exactly, LIKE wildcards escaped. */
    List<Certificate> ofCommonName(Connection c, String commonName) throws SQLException {
        String escaped = commonName.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        try (PreparedStatement ps = c.prepareStatement("SELECT serial, subject, role, status, not_after, revoked_at "
                + "FROM issued_certificates WHERE subject = ? OR subject LIKE ? ESCAPE '\\' ORDER BY not_after DESC, serial")) {
            ps.setString(1, "CN=" + commonName);
            ps.setString(2, "CN=" + escaped + ",%");
            ps.setMaxRows(100);
            return read(ps);
        }
    }

    private static List<Certificate> read(PreparedStatement ps) throws SQLException {
        List<Certificate> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Certificate(rs.getString("serial"), rs.getString("subject"), rs.getString("role"),
                        rs.getString("status"), text(rs, "not_after"), text(rs, "revoked_at")));
            }
        }
        return out;
    }

    private static String text(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}
