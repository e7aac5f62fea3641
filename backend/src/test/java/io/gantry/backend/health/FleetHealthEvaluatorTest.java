package io.gantry.backend.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.backend.alerts.AlertBook;
import io.gantry.backend.alerts.AlertState;
import io.gantry.backend.alerts.FleetAlert;
import io.gantry.backend.alerts.LogAlertSink;
import io.gantry.backend.config.FleetHealthSettings;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.testing.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator reads the backend's own tables (registry, targets, security events, rollouts) on the
 * real database and opens and resolves alerts from them, without any device report about expiry.
 */
class FleetHealthEvaluatorTest {
    @TempDir
    Path dir;
    Database db;
    final TestClock clock = new TestClock(Instant.parse("2026-12-04T12:00:00Z"));
    FleetHealthEvaluator evaluator;
    AlertBook book;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabases.open(dir.resolve("db"));
        book = new AlertBook(db, clock, List.of(new LogAlertSink()));
        evaluator = new FleetHealthEvaluator(db, book, new FleetHealthRules(FleetHealthSettings.DEFAULT, Duration.ofSeconds(5)), clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    void certificate(Connection c, String serial, String cn, String role, Duration left, boolean revoked) throws SQLException {
        Instant now = clock.instant();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO issued_certificates (serial, subject, issuer, issuer_key_id, role, "
                + "not_before, not_after, status, revoked_at, reason, sha256, certificate) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, serial);
            ps.setString(2, "CN=" + cn + ",OU=" + role + ",O=Gantry");
            ps.setString(3, "CN=Gantry Issuing CA");
            ps.setString(4, "aa");
            ps.setString(5, role);
            ps.setObject(6, OffsetDateTime.ofInstant(now.minus(Duration.ofDays(300)), ZoneOffset.UTC));
            ps.setObject(7, OffsetDateTime.ofInstant(now.plus(left), ZoneOffset.UTC));
            ps.setString(8, revoked ? "REVOKED" : "GOOD");
            ps.setObject(9, revoked ? OffsetDateTime.ofInstant(now, ZoneOffset.UTC) : null);
            ps.setString(10, revoked ? "keyCompromise" : null);
            ps.setString(11, "0".repeat(64));
            ps.setBytes(12, new byte[] {1});
            ps.executeUpdate();
        }
    }

    void rollout(Connection c, long release, String state, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollouts (name, release_id, state, spec, pause_reason, created_at, "
                + "updated_at) VALUES ('r', ?, ?, '{}', ?, ?, ?)")) {
            ps.setLong(1, release);
            ps.setString(2, state);
            ps.setString(3, reason);
            ps.setObject(4, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            ps.setObject(5, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    List<String> open(AlertState state) throws SQLException {
        return book.list(state, null, 0, 100).alerts().stream().map(a -> a.kind() + " " + a.subject() + " " + a.severity())
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    @Test
    void registryTargetsReportsAndRolloutsBecomeAlertsThatResolveWhenFixed() throws Exception {
        Instant now = clock.instant();
        TargetRepository targets = new TargetRepository();
        db.inTransaction(c -> {
            certificate(c, "a1", "gw-renewed", "devices", Duration.ofDays(20), false);
            certificate(c, "a2", "gw-renewed", "devices", Duration.ofDays(700), false);
            certificate(c, "b1", "gw-stuck", "devices", Duration.ofDays(20), false);
            certificate(c, "c1", "gw-revoked", "devices", Duration.ofDays(3), true);
            certificate(c, "d1", "gw-factory", "factory", Duration.ofDays(5), false);
            certificate(c, "e1", "ops-ann", "operators", Duration.ofDays(6), false);
            certificate(c, "f1", "Gantry OCSP", "ocsp-responder", Duration.ofDays(3), false);
            certificate(c, "g1", "Gantry Issuing CA", "intermediate", Duration.ofDays(60), false);
            targets.recordPoll(c, "gw-renewed", now);
            targets.recordPoll(c, "gw-stuck", now.minusSeconds(20));
            targets.recordPoll(c, "gw-quiet", now.minus(Duration.ofHours(2)));
            new SecurityEventRepository().insert(c, now.minus(Duration.ofHours(3)), "CERT_RENEWAL_EMERGENCY", "gw-rep", "10.0.0.9", "x");
            new SecurityEventRepository().insert(c, now.minus(Duration.ofDays(2)), "CERT_RENEWAL_EMERGENCY", "gw-old-report", null, "x");
            long release = new ReleaseRepository().insert(c, new ReleaseMetadata(ReleaseMetadata.SCHEMA, "fw", "1.0.0",
                    ReleaseKind.FIRMWARE, "acme", now, now.plusSeconds(86400), 0, "me", List.of(new PayloadInfo("a.bin", "0".repeat(64), 1))),
                    new byte[] {1}, new byte[] {2}, List.of("k"), now);
            rollout(c, release, "PAUSED", "error threshold crossed: 3 of 5 closed actions failed (threshold 2)");
            rollout(c, release, "PAUSED", "paused by an operator");
            return null;
        });
        evaluator.evaluate();
        List<String> expected = List.of("CERT_EXPIRING b1 WARNING", "CERT_EXPIRING e1 CRITICAL", "CERT_EXPIRING g1 INFO",
                "DEVICE_SILENT gw-quiet WARNING",
                "RENEWAL_FAILING gw-rep CRITICAL", "RENEWAL_FAILING gw-stuck WARNING", "ROLLOUT_OVER_THRESHOLD 1 CRITICAL");
        assertEquals(expected, open(AlertState.OPEN));
        evaluator.evaluate();
        assertEquals(expected, open(AlertState.OPEN), "a second run changes nothing");
        assertEquals(2, book.list(AlertState.OPEN, null, 0, 100).alerts().stream().mapToLong(FleetAlert::count).min().orElseThrow());

        clock.advance(Duration.ofSeconds(30));
        db.inTransaction(c -> {
            targets.recordPoll(c, "gw-quiet", clock.instant());
            targets.recordPoll(c, "gw-renewed", clock.instant());
            certificate(c, "b2", "gw-stuck", "devices", Duration.ofDays(700), false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE rollouts SET state = 'RUNNING', pause_reason = NULL")) {
                ps.executeUpdate();
            }
            return null;
        });
        targets.flushLastSeen(db); // polls of known targets are written behind, as the backend's flush does every second
        evaluator.evaluate();
        assertEquals(List.of("CERT_EXPIRING e1 CRITICAL", "CERT_EXPIRING g1 INFO", "RENEWAL_FAILING gw-rep CRITICAL"),
                open(AlertState.OPEN));
        assertEquals(List.of("CERT_EXPIRING b1 WARNING", "DEVICE_SILENT gw-quiet WARNING", "RENEWAL_FAILING gw-stuck WARNING",
                "ROLLOUT_OVER_THRESHOLD 1 CRITICAL"), open(AlertState.RESOLVED));
    }
}
