package io.gantry.backend.health;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Reads a {@link FleetSnapshot} from the registry ({@code issued_certificates}), {@code targets},
 * {@code security_events} and {@code rollouts}: plain SQL that H2 and PostgreSQL both run.
 */
public final class FleetHealthQueries {
    /** Renewal reports older than this no longer count. */
    static final Duration REPORT_WINDOW = Duration.ofDays(1);
    private static final String NEWEST_GOOD_ENDING = "SELECT i.serial, i.subject, i.role, i.not_after FROM issued_certificates i "
            + "WHERE i.status = 'GOOD' AND i.not_after < ? AND i.role NOT IN ('factory', 'ocsp-responder') AND NOT EXISTS (SELECT 1 FROM "
            + "issued_certificates j WHERE j.subject = i.subject AND j.status = 'GOOD' AND j.not_after > i.not_after) ORDER BY i.not_after";

    /**
     * @param warnBefore certificates ending before this are read
     * @param silentBefore devices whose last poll is older than this are silent
     */
    public FleetSnapshot read(Connection c, Instant now, Instant warnBefore, Instant silentBefore) throws SQLException {
        List<FleetSnapshot.CertificateEnd> ending = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(NEWEST_GOOD_ENDING)) {
            ps.setObject(1, utc(warnBefore));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ending.add(new FleetSnapshot.CertificateEnd(rs.getString(1), rs.getString(2), rs.getString(3),
                            commonName(rs.getString(2)), instant(rs, 4)));
                }
            }
        }
        Map<String, Instant> lastSeen = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT last_seen FROM targets WHERE controller_id = ?")) {
            for (FleetSnapshot.CertificateEnd e : ending) {
                if (FleetHealthRules.DEVICE_ROLE.equals(e.role()) && e.commonName() != null) {
                    ps.setString(1, e.commonName());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getObject(1) != null) {
                            lastSeen.put(e.commonName(), instant(rs, 1));
                        }
                    }
                }
            }
        }
        List<FleetSnapshot.DeviceSeen> silent = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT controller_id, last_seen FROM targets WHERE last_seen < ? ORDER BY controller_id")) {
            ps.setObject(1, utc(silentBefore));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    silent.add(new FleetSnapshot.DeviceSeen(rs.getString(1), instant(rs, 2)));
                }
            }
        }
        List<FleetSnapshot.RenewalReport> reports = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT subject, code, MAX(occurred_at) FROM security_events WHERE code IN "
                + "('CERT_RENEWAL_ESCALATED', 'CERT_RENEWAL_EMERGENCY', 'CERT_RENEWAL_EXPIRED') AND occurred_at >= ? "
                + "AND subject IS NOT NULL GROUP BY subject, code ORDER BY subject, code")) {
            ps.setObject(1, utc(now.minus(REPORT_WINDOW)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reports.add(new FleetSnapshot.RenewalReport(rs.getString(1), rs.getString(2), instant(rs, 3)));
                }
            }
        }
        List<FleetSnapshot.PausedRollout> paused = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, pause_reason, updated_at FROM rollouts WHERE state = 'PAUSED' "
                + "AND pause_reason LIKE 'error threshold crossed%' ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                paused.add(new FleetSnapshot.PausedRollout(rs.getLong(1), rs.getString(2), instant(rs, 3)));
            }
        }
        return new FleetSnapshot(ending, lastSeen, silent, reports, paused);
    }

    /** @return the CN of an RFC 4514 subject, or {@code null} */
    static String commonName(String subject) {
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
