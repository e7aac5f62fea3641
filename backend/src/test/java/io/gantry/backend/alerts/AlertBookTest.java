package io.gantry.backend.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.TestDatabases;
import io.gantry.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert lifecycle on the real database (H2, or PostgreSQL in the second run): open, dedup, escalate, acknowledge, resolve. */
class AlertBookTest {
    static final Set<AlertKind> HEALTH = Set.of(AlertKind.DEVICE_SILENT, AlertKind.CERT_EXPIRING);
    @TempDir
    Path dir;
    Database db;
    final TestClock clock = new TestClock(Instant.parse("2026-12-04T12:00:00Z"));
    final List<AlertChange> delivered = new CopyOnWriteArrayList<>();
    AlertBook book;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabases.open(dir.resolve("db"));
        book = new AlertBook(db, clock, List.of(delivered::add, c -> {
            throw new IllegalStateException("a broken sink does not stop the others");
        }, new LogAlertSink()));
    }

    @AfterEach
    void close() {
        db.close();
    }

    static Finding silent(String device, AlertSeverity severity) {
        return Finding.of(AlertKind.DEVICE_SILENT, device, severity, device + " is silent");
    }

    List<String> changes() {
        return delivered.stream().map(c -> c.change() + " " + c.alert().subject()).toList();
    }

    @Test
    void aProblemFoundAtEveryRunIsOneAlertDeliveredOnceThenResolved() throws Exception {
        book.reconcile(HEALTH, List.of(silent("gw-1", AlertSeverity.WARNING), silent("gw-1", AlertSeverity.INFO)));
        clock.advance(Duration.ofMinutes(1));
        book.reconcile(HEALTH, List.of(silent("gw-1", AlertSeverity.WARNING)));
        clock.advance(Duration.ofMinutes(1));
        book.reconcile(HEALTH, List.of(silent("gw-1", AlertSeverity.WARNING)));
        assertEquals(List.of("OPENED gw-1"), changes());
        FleetAlert a = book.list(AlertState.OPEN, null, 0, 10).alerts().get(0);
        assertEquals(3, a.count());
        assertEquals(clock.instant().minus(Duration.ofMinutes(2)), a.firstSeen());
        assertEquals(clock.instant(), a.lastSeen());
        book.reconcile(HEALTH, List.of());
        assertEquals(List.of("OPENED gw-1", "RESOLVED gw-1"), changes());
        assertEquals(AlertState.RESOLVED, book.find(a.id()).orElseThrow().state());
        book.reconcile(HEALTH, List.of(silent("gw-1", AlertSeverity.WARNING)));
        FleetAlert again = book.list(AlertState.OPEN, null, 0, 10).alerts().get(0);
        assertNotEquals(a.id(), again.id(), "a problem back after resolution is a new alert");
        assertEquals(2, book.list(null, AlertKind.DEVICE_SILENT, 0, 10).total());
    }

    @Test
    void aHigherSeverityIsDeliveredAgainAndAnAcknowledgedAlertStaysQuietUntilThen() throws Exception {
        book.reconcile(HEALTH, List.of(Finding.of(AlertKind.CERT_EXPIRING, "ab12", AlertSeverity.INFO, "90 days")));
        long id = book.list(null, null, 0, 1).alerts().get(0).id();
        clock.advance(Duration.ofMinutes(5));
        FleetAlert acked = book.acknowledge(id, "ops-ann").orElseThrow();
        assertEquals(AlertState.ACKNOWLEDGED, acked.state());
        assertEquals("ops-ann", acked.acknowledgedBy());
        assertEquals(clock.instant(), acked.acknowledgedAt());
        assertEquals("ops-ann", book.acknowledge(id, "ops-bob").orElseThrow().acknowledgedBy(), "the first acknowledgement stands");
        book.reconcile(HEALTH, List.of(Finding.of(AlertKind.CERT_EXPIRING, "ab12", AlertSeverity.INFO, "89 days")));
        book.reconcile(HEALTH, List.of(Finding.of(AlertKind.CERT_EXPIRING, "ab12", AlertSeverity.WARNING, "30 days")));
        assertEquals(List.of("OPENED ab12", "ACKNOWLEDGED ab12", "ESCALATED ab12"), changes());
        FleetAlert now = book.find(id).orElseThrow();
        assertEquals(AlertState.ACKNOWLEDGED, now.state());
        assertEquals(AlertSeverity.WARNING, now.severity());
        assertEquals("30 days", now.message());
    }

    @Test
    void resolvedOrUnknownAlertsCannotBeAcknowledged() throws Exception {
        book.reconcile(HEALTH, List.of(silent("gw-2", AlertSeverity.WARNING)));
        long id = book.list(null, null, 0, 1).alerts().get(0).id();
        book.reconcile(HEALTH, List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> book.acknowledge(id, "ops"));
        assertTrue(e.getMessage().contains("resolved"), e.getMessage());
        assertTrue(book.acknowledge(id + 1000, "ops").isEmpty());
    }

    @Test
    void aRunOnlyResolvesItsOwnKindsAndRefusesOthers() throws Exception {
        book.reconcile(Set.of(AlertKind.CLONED_IDENTITY), List.of(Finding.of(AlertKind.CLONED_IDENTITY, "gw-3", AlertSeverity.CRITICAL, "x")));
        book.reconcile(HEALTH, List.of());
        assertEquals(1, book.list(AlertState.OPEN, AlertKind.CLONED_IDENTITY, 0, 10).total());
        assertThrows(IllegalArgumentException.class, () -> book.reconcile(HEALTH, List.of(
                Finding.of(AlertKind.CLONED_IDENTITY, "gw-3", AlertSeverity.CRITICAL, "x"))));
        assertEquals(1L, book.unresolvedCounts().get(AlertKind.CLONED_IDENTITY));
        assertEquals(0L, book.unresolvedCounts().get(AlertKind.DEVICE_SILENT));
    }

    @Test
    void listingPagesNewestFirst() throws Exception {
        for (int i = 0; i < 7; i++) {
            book.reconcile(Set.of(AlertKind.DEVICE_SILENT), List.of(silent("gw-" + i, AlertSeverity.WARNING)));
            book.reconcile(Set.of(AlertKind.CERT_EXPIRING), List.of());
        }
        // each run of DEVICE_SILENT resolves the previous device's alert
        AlertBook.Page page = book.list(null, AlertKind.DEVICE_SILENT, 2, 3);
        assertEquals(7, page.total());
        assertEquals(List.of("gw-4", "gw-3", "gw-2"), page.alerts().stream().map(FleetAlert::subject).toList());
        assertEquals(1, book.list(AlertState.OPEN, null, 0, 50).total());
        assertEquals(6, book.list(AlertState.RESOLVED, null, 0, 50).total());
    }
}
