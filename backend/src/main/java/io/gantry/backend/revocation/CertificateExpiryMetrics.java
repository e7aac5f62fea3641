package io.gantry.backend.revocation;

import io.gantry.backend.db.Database;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * How soon the certificates still in force expire, from {@code issued_certificates} (status GOOD,
 * by role), as cumulative counts: {@code gantry_certificates_expiring{role,within_days}} is the
 * number expiring within 0 (already expired, never revoked), 7, 30, 90 and 365 days, and
 * {@code +Inf} is all of them; {@code gantry_certificate_soonest_expiry_days{role}} is the fewest
 * days left. One aggregate query per computation (a scan of the table's GOOD rows), run through a
 * {@link io.gantry.backend.metrics.ScrapeCache}.
 */
public final class CertificateExpiryMetrics {
    /** The cumulative bounds, in days: the renewal windows (7 emergency, 30 escalation, 90 renewal) and a year. */
    static final List<Integer> WITHIN_DAYS = List.of(0, 7, 30, 90, 365);
    private final Database database;
    private final Clock clock;

    /**
     * @param database the database holding {@code issued_certificates}
     * @param clock the time the days are counted from
     */
    public CertificateExpiryMetrics(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** @return the two gauges, as of now */
    public MetricSnapshots compute() throws SQLException {
        Instant now = clock.instant();
        StringBuilder sql = new StringBuilder("SELECT role, COUNT(*) AS total, MIN(not_after) AS soonest");
        for (int d : WITHIN_DAYS) {
            sql.append(", SUM(CASE WHEN not_after <= ? THEN 1 ELSE 0 END) AS d").append(d);
        }
        sql.append(" FROM issued_certificates WHERE status = 'GOOD' GROUP BY role ORDER BY role");
        GaugeSnapshot.Builder expiring = GaugeSnapshot.builder().name("gantry_certificates_expiring")
                .help("Certificates in force (issued here, not revoked) expiring within within_days days, by role; cumulative.");
        GaugeSnapshot.Builder soonest = GaugeSnapshot.builder().name("gantry_certificate_soonest_expiry_days")
                .help("Days until the first certificate in force of the role expires (negative: already expired).");
        database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < WITHIN_DAYS.size(); i++) {
                    ps.setObject(i + 1, OffsetDateTime.ofInstant(now.plus(Duration.ofDays(WITHIN_DAYS.get(i))), ZoneOffset.UTC));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String role = rs.getString("role");
                        for (int d : WITHIN_DAYS) {
                            expiring.dataPoint(point(Labels.of("role", role, "within_days", Integer.toString(d)), rs.getLong("d" + d)));
                        }
                        expiring.dataPoint(point(Labels.of("role", role, "within_days", "+Inf"), rs.getLong("total")));
                        Instant first = rs.getObject("soonest", OffsetDateTime.class).toInstant();
                        soonest.dataPoint(point(Labels.of("role", role), Duration.between(now, first).toSeconds() / 86_400.0));
                    }
                }
            }
            return null;
        });
        return MetricSnapshots.of(expiring.build(), soonest.build());
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}
