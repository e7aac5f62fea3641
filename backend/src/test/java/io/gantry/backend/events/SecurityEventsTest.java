package io.gantry.backend.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.verify.RejectionCode;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.SecurityEventRow;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.testing.TestClock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder stamps events with its clock, keeps at most the configured number, and never throws. */
class SecurityEventsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    final SecurityEventRepository repository = new SecurityEventRepository();

    @Test
    void recordsWithTheClockAndListsNewestFirst(@TempDir Path dir) throws Exception {
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            SecurityEvents events = new SecurityEvents(db, repository, CLOCK, 10);
            events.record(RejectionCode.BAD_SIGNATURE, "CN=a,OU=operators", "10.0.0.1", "first");
            events.record(SecurityEventCode.TLS_HANDSHAKE_FAILED, null, null, "x".repeat(5000));
            List<SecurityEventRow> rows = events.newest(10);
            assertEquals(2, rows.size());
            SecurityEventRow newest = rows.get(0);
            assertEquals("TLS_HANDSHAKE_FAILED", newest.code());
            assertEquals(null, newest.subject());
            assertEquals(null, newest.remoteAddress());
            assertEquals(SecurityEventRepository.MAX_DETAIL, newest.detail().length(), "cut, not refused");
            assertEquals(new SecurityEventRow(rows.get(1).id(), CLOCK.instant(), "BAD_SIGNATURE", "CN=a,OU=operators",
                    "10.0.0.1", "first"), rows.get(1));
        }
    }

    @Test
    void keepsAtMostMaxRowsDroppingTheOldest(@TempDir Path dir) throws Exception {
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            SecurityEvents events = new SecurityEvents(db, repository, CLOCK, 3);
            for (int i = 1; i <= 250; i++) {
                events.record(SecurityEventCode.IDENTITY_MISMATCH, "CN=gw-" + i + ",OU=devices", "10.0.0.9", "request " + i);
            }
            assertEquals(3, db.inTransaction(repository::count));
            assertEquals(List.of("request 250", "request 249", "request 248"),
                    events.newest(100).stream().map(SecurityEventRow::detail).toList());
        }
    }

    @Test
    void aLoopingAuthenticatedPartyIsHeldToTenEventsAnHourAndTheRestIsCounted(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            SecurityEvents events = new SecurityEvents(db, repository, clock, 1_000);
            for (int i = 1; i <= 25; i++) {
                events.recordRepeatable(SecurityEventCode.IDENTITY_MISMATCH, "CN=gw-loop,OU=devices", "10.0.0.5", "request " + i);
            }
            events.recordRepeatable(SecurityEventCode.IDENTITY_MISMATCH, "CN=gw-other,OU=devices", "10.0.0.6", "another device");
            assertEquals(11, db.inTransaction(repository::count), "ten of the loop, and the other device's own");
            clock.advance(Duration.ofHours(1));
            events.recordRepeatable(SecurityEventCode.IDENTITY_MISMATCH, "CN=gw-loop,OU=devices", "10.0.0.5", "request 26");
            assertEquals("request 26 (15 more of these from this subject in the previous hour were not recorded)",
                    events.newest(1).get(0).detail());
        }
    }

    @Test
    void aHandshakeFloodCannotPushOutTheAuditTrail(@TempDir Path dir) throws Exception {
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            SecurityEvents events = new SecurityEvents(db, repository, CLOCK, 100);
            events.record(RejectionCode.ROLLBACK, "gw-1", "10.0.0.1", "a device refused a replayed release");
            events.record(SecurityEventCode.CERTIFICATE_REVOKED, "operator alice", null, "revoked 1f (device gw-2): keyCompromise");
            for (int i = 1; i <= 5_000; i++) {
                events.record(SecurityEventCode.TLS_HANDSHAKE_FAILED, null, "203.0.113.9", "handshake " + i);
            }
            List<SecurityEventRow> kept = events.newest(1_000);
            assertEquals(List.of("CERTIFICATE_REVOKED", "ROLLBACK"), kept.stream().map(SecurityEventRow::code)
                    .filter(code -> !code.equals("TLS_HANDSHAKE_FAILED")).toList(), "the flood pushed out only its own kind");
            long handshakes = kept.stream().filter(e -> e.code().equals("TLS_HANDSHAKE_FAILED")).count();
            // Pruned every 100 / 20 = 5 inserts: half the table, plus at most 4 since the last prune.
            assertTrue(handshakes >= 50 && handshakes < 55, "refused connections keep about half the table: " + handshakes);
            assertEquals("handshake 5000", kept.get(0).detail(), "the newest are kept");
        }
    }

    @Test
    void aFailingDatabaseIsLoggedNotThrown(@TempDir Path dir) throws Exception {
        Database db = TestDatabases.open(dir.resolve("db"));
        db.close();
        SecurityEvents events = new SecurityEvents(db, repository, CLOCK, 3);
        events.record(RejectionCode.BAD_SIGNATURE, "CN=a", "10.0.0.1", "the insert fails");
        assertThrows(SQLException.class, () -> events.newest(1), "reading is not hidden: the GET answers 500");
    }

    @Test
    void refusesANonPositiveCap(@TempDir Path dir) throws Exception {
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            assertThrows(IllegalArgumentException.class, () -> new SecurityEvents(db, repository, CLOCK, 0));
        }
    }
}
