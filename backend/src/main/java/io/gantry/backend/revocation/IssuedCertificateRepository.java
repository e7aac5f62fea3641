package io.gantry.backend.revocation;

import io.gantry.backend.db.Dialect;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** SQL of the {@code issued_certificates} and {@code crl_numbers} tables (V3 migration). */
final class IssuedCertificateRepository {
    private static final String COLUMNS = "serial, status, subject, issuer_key_id, role, not_after, revoked_at, reason, sha256";

    /** Inserts unless the serial is known; @return whether a row was added. */
    boolean insertIfAbsent(Connection c, X509Certificate cert, String role, String issuerKeyId) throws SQLException {
        String serial = Serials.hex(cert.getSerialNumber());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO issued_certificates (serial, subject, issuer, issuer_key_id, "
                + "role, not_before, not_after, status, sha256, certificate) SELECT ?, ?, ?, ?, ?, ?, ?, 'GOOD', ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM issued_certificates WHERE serial = ?)"
                // Two nodes importing the same issuance log: on PostgreSQL the later insert yields instead of failing.
                + (Dialect.of(c) == Dialect.POSTGRESQL ? " ON CONFLICT (serial) DO NOTHING" : ""))) {
            ps.setString(1, serial);
            ps.setString(2, clip(cert.getSubjectX500Principal().getName()));
            ps.setString(3, clip(cert.getIssuerX500Principal().getName()));
            ps.setString(4, issuerKeyId);
            ps.setString(5, role);
            ps.setObject(6, utc(cert.getNotBefore().toInstant()));
            ps.setObject(7, utc(cert.getNotAfter().toInstant()));
            ps.setString(8, Serials.sha256(cert));
            ps.setBytes(9, cert.getEncoded());
            ps.setString(10, serial);
            return ps.executeUpdate() == 1;
        } catch (CertificateEncodingException e) {
            throw new SQLException("cannot encode certificate " + serial, e);
        }
    }

    CertificateState find(Connection c, String serial) throws SQLException {
        List<CertificateState> rows = query(c, "SELECT " + COLUMNS + " FROM issued_certificates WHERE serial = ?", serial);
        return rows.isEmpty() ? CertificateState.unknown(serial) : rows.get(0);
    }

    List<CertificateState> revokedBy(Connection c, String issuerKeyId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM issued_certificates WHERE issuer_key_id = ? AND status = 'REVOKED' "
                + "ORDER BY serial", issuerKeyId);
    }

    List<CertificateState> goodBy(Connection c, String issuerKeyId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM issued_certificates WHERE issuer_key_id = ? AND status = 'GOOD' "
                + "ORDER BY serial", issuerKeyId);
    }

    /** Marks a GOOD row REVOKED; @return whether it was GOOD. */
    boolean revoke(Connection c, String serial, Instant at, RevocationReason reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE issued_certificates SET status = 'REVOKED', revoked_at = ?, "
                + "reason = ? WHERE serial = ? AND status = 'GOOD'")) {
            ps.setObject(1, utc(at));
            ps.setString(2, reason.name());
            ps.setString(3, serial);
            return ps.executeUpdate() == 1;
        }
    }

    /** Raises the shared revocation generation ({@code revocation_generation}, V18); @return its new value */
    long raiseGeneration(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE revocation_generation SET generation = generation + 1 WHERE id = 1")) {
            ps.executeUpdate();
        }
        return generation(c);
    }

    /** @return the shared revocation generation: it grows with every revocation through any node */
    long generation(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM revocation_generation WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("revocation_generation row missing");
            }
            return rs.getLong(1);
        }
    }

    /** @return the next CRL number of {@code issuerKeyId}, stored before it is used */
    long nextCrlNumber(Connection c, String issuerKeyId) throws SQLException {
        if (Dialect.of(c) == Dialect.POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO crl_numbers (issuer_key_id, crl_number) VALUES (?, 1) "
                    + "ON CONFLICT (issuer_key_id) DO UPDATE SET crl_number = crl_numbers.crl_number + 1 RETURNING crl_number")) {
                ps.setString(1, issuerKeyId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO crl_numbers t USING (VALUES (CAST(? AS VARCHAR(128)))) "
                + "s(k) ON t.issuer_key_id = s.k WHEN MATCHED THEN UPDATE SET crl_number = t.crl_number + 1 "
                + "WHEN NOT MATCHED THEN INSERT (issuer_key_id, crl_number) VALUES (s.k, 1)")) {
            ps.setString(1, issuerKeyId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT crl_number FROM crl_numbers WHERE issuer_key_id = ?")) {
            ps.setString(1, issuerKeyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<CertificateState> query(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            List<CertificateState> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String reason = rs.getString("reason");
                    out.add(new CertificateState(rs.getString("serial"), CertificateState.Status.valueOf(rs.getString("status")),
                            rs.getString("subject"), rs.getString("issuer_key_id"), rs.getString("role"),
                            instant(rs, "not_after"), instant(rs, "revoked_at"),
                            reason == null ? null : RevocationReason.valueOf(reason), rs.getString("sha256")));
                }
            }
            return out;
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String clip(String s) {
        return s.length() <= 512 ? s : s.substring(0, 512);
    }
}
