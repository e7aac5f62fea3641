package io.gantry.backend.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.SecurityEventRow;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
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
        try (Database db = Database.open(dir.resolve("db"))) {
            SecurityEvents events = new SecurityEvents(db, repository, CLOCK, 10);
            events.record("BAD_SIGNATURE", "CN=a,OU=operators", "10.0.0.1", "first");
            events.record("TLS_HANDSHAKE_FAILED", null, null, "x".repeat(5000));
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
        try (Database db = Database.open(dir.resolve("db"))) {
            SecurityEvents events = new SecurityEvents(db, repository, CLOCK, 3);
            for (int i = 1; i <= 250; i++) {
                events.record("TLS_HANDSHAKE_FAILED", null, "10.0.0.9", "handshake " + i);
            }
            assertEquals(3, db.inTransaction(repository::count));
            assertEquals(List.of("handshake 250", "handshake 249", "handshake 248"),
                    events.newest(100).stream().map(SecurityEventRow::detail).toList());
        }
    }

    @Test
    void aFailingDatabaseIsLoggedNotThrown(@TempDir Path dir) throws Exception {
        Database db = Database.open(dir.resolve("db"));
        db.close();
        SecurityEvents events = new SecurityEvents(db, repository, CLOCK, 3);
        events.record("BAD_SIGNATURE", "CN=a", "10.0.0.1", "the insert fails");
        assertThrows(SQLException.class, () -> events.newest(1), "reading is not hidden: the GET answers 500");
    }

    @Test
    void refusesANonPositiveCap(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir.resolve("db"))) {
            assertThrows(IllegalArgumentException.class, () -> new SecurityEvents(db, repository, CLOCK, 0));
        }
    }
}
