package io.gantry.backend.est;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The {@code factory_credentials_used} table: which one-time factory credentials have enrolled. */
final class FactoryCredentialLedger {
    /** @return whether {@code factory} already enrolled its device */
    boolean isUsed(Connection c, X509Certificate factory) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM factory_credentials_used WHERE issuer = ? AND serial = ?")) {
            ps.setString(1, factory.getIssuerX500Principal().getName());
            ps.setString(2, factory.getSerialNumber().toString(16));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Marks {@code factory} used by the enrollment that issued {@code issued}.
     *
     * @throws SQLException with state {@link io.gantry.backend.db.Dialect#DUPLICATE_KEY} if it was already used
     */
    void consume(Connection c, X509Certificate factory, String deviceId, X509Certificate issued, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO factory_credentials_used (issuer, serial, device_id, "
                + "used_at, issued_serial) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, factory.getIssuerX500Principal().getName());
            ps.setString(2, factory.getSerialNumber().toString(16));
            ps.setString(3, deviceId);
            ps.setObject(4, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setString(5, issued.getSerialNumber().toString(16));
            ps.executeUpdate();
        }
    }

    /** Undoes {@link #consume} when the certificate it paid for could not be handed out. */
    void release(Connection c, X509Certificate factory) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM factory_credentials_used WHERE issuer = ? AND serial = ?")) {
            ps.setString(1, factory.getIssuerX500Principal().getName());
            ps.setString(2, factory.getSerialNumber().toString(16));
            ps.executeUpdate();
        }
    }
}
