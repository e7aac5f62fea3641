package io.gantry.backend.revocation;

import io.gantry.backend.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of a certificate an EST renewal replaced ({@code certificate_renewals}, V12): it is
 * revoked with reason {@link RevocationReason#superseded} when the new certificate is first used on
 * the mutual-TLS port ({@link #firstUse}, called by {@link RegistryCheck}), and at the latest when
 * the grace period after the renewal has passed ({@link #supersedeOverdue}, run every minute by the
 * backend); a grace of zero revokes it at once. The rows also count a device's renewals for the
 * re-enrollment limit. New serials still waiting for their first use are kept in memory (loaded at
 * start), so the check on every handshake and request costs a hash look-up; a renewal made on
 * another node is superseded by its first use there, or by the overdue sweep.
 */
public final class CertificateRenewals {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewals.class);
    private final Database database;
    private final CertificateRegistry registry;
    private final Clock clock;
    private final Duration grace;
    private final Set<String> waitingForFirstUse = ConcurrentHashMap.newKeySet();

    /**
     * @param grace how long a replaced certificate stays GOOD when the new one is not used
     * @throws SQLException if the pending renewals cannot be read
     */
    public CertificateRenewals(Database database, CertificateRegistry registry, Clock clock, Duration grace) throws SQLException {
        this.database = Objects.requireNonNull(database, "database");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grace = Objects.requireNonNull(grace, "grace");
        waitingForFirstUse.addAll(database.inTransaction(c -> serials(c,
                "SELECT new_serial FROM certificate_renewals WHERE superseded_at IS NULL", null)));
    }

    /** Records that {@code deviceId} renewed {@code oldSerial} into {@code newSerial} (both hex). */
    public void renewed(String oldSerial, String newSerial, String deviceId) throws SQLException {
        Instant now = clock.instant();
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO certificate_renewals (new_serial, old_serial, device_id, "
                    + "renewed_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, newSerial);
                ps.setString(2, oldSerial);
                ps.setString(3, deviceId);
                ps.setObject(4, utc(now));
                return ps.executeUpdate();
            }
        });
        if (grace.isZero()) {
            supersede(newSerial);
        } else {
            waitingForFirstUse.add(newSerial);
        }
    }

    /** @return when {@code deviceId} renewed since {@code since}, oldest first */
    public List<Instant> renewalsSince(String deviceId, Instant since) throws SQLException {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT renewed_at FROM certificate_renewals WHERE device_id = ? "
                    + "AND renewed_at > ? ORDER BY renewed_at")) {
                ps.setString(1, deviceId);
                ps.setObject(2, utc(since));
                List<Instant> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                    }
                }
                return out;
            }
        });
    }

    /**
     * A GOOD certificate with hex serial {@code serial} was just presented: if a renewal issued it,
     * the certificate it replaced is revoked now. A failure is logged and retried by the overdue sweep.
     */
    public void firstUse(String serial) {
        if (!waitingForFirstUse.remove(serial)) {
            return;
        }
        try {
            supersede(serial);
        } catch (SQLException | RuntimeException e) {
            waitingForFirstUse.add(serial);
            LOG.error("could not revoke the certificate renewed into {}; the overdue sweep will", serial, e);
        }
    }

    /**
     * Revokes every replaced certificate whose grace period has passed.
     *
     * @return how many renewals were settled
     */
    public int supersedeOverdue() throws SQLException {
        Instant cutoff = clock.instant().minus(grace);
        List<String> overdue = database.inTransaction(c -> serials(c,
                "SELECT new_serial FROM certificate_renewals WHERE superseded_at IS NULL AND renewed_at <= ?", cutoff));
        for (String serial : overdue) {
            supersede(serial);
            waitingForFirstUse.remove(serial);
        }
        return overdue.size();
    }

    private void supersede(String newSerial) throws SQLException {
        List<String> old = database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT old_serial FROM certificate_renewals WHERE new_serial = ? AND superseded_at IS NULL")) {
                ps.setString(1, newSerial);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
        if (old.isEmpty()) {
            return;
        }
        registry.supersede(old.get(0), "est-renewal:" + newSerial);
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE certificate_renewals SET superseded_at = ? WHERE new_serial = ? AND superseded_at IS NULL")) {
                ps.setObject(1, utc(clock.instant()));
                ps.setString(2, newSerial);
                return ps.executeUpdate();
            }
        });
    }

    private static List<String> serials(Connection c, String sql, Instant arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (arg != null) {
                ps.setObject(1, utc(arg));
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

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
