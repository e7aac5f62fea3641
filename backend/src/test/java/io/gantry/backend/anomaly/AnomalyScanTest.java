package io.gantry.backend.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.backend.alerts.AlertBook;
import io.gantry.backend.alerts.AlertState;
import io.gantry.backend.alerts.LogAlertSink;
import io.gantry.backend.config.AnomalyThresholds;
import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.DownloadLogRepository;
import io.gantry.backend.db.DownloadRecord;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.testing.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan reads the download log, check-ins and actions from the real database, raises alerts, and resolves them as the window moves on. */
class AnomalyScanTest {
    @TempDir
    Path dir;
    Database db;
    final TestClock clock = new TestClock(Instant.parse("2026-12-04T12:00:00Z"));
    AlertBook book;
    AnomalyScan scan;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabases.open(dir.resolve("db"));
        book = new AlertBook(db, clock, List.of(new LogAlertSink()));
        scan = new AnomalyScan(db, book, AnomalyThresholds.DEFAULT, clock);
    }

    @AfterEach
    void close() {
        db.close();
    }

    long release(Connection c, String version) throws SQLException {
        Instant now = clock.instant();
        return new ReleaseRepository().insert(c, new ReleaseMetadata(ReleaseMetadata.SCHEMA, "fw", version, ReleaseKind.FIRMWARE, "acme",
                now, now.plusSeconds(86400), 0, "me", List.of(new PayloadInfo("a.bin", "0".repeat(64), 1))), new byte[] {1},
                new byte[] {2}, List.of("k"), now);
    }

    List<String> alerts(AlertState state) throws SQLException {
        return book.list(state, null, 0, 100).alerts().stream().map(a -> a.kind() + " " + a.subject()).sorted().toList();
    }

    long checkIns() throws SQLException {
        return db.inTransaction(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM check_ins")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void syntheticAttacksInTheDatabaseRaiseAlertsThatResolveWhenTheWindowMovesOn() throws Exception {
        Instant now = clock.instant();
        TargetRepository targets = new TargetRepository();
        ActionRepository actions = new ActionRepository();
        DownloadLogRepository log = new DownloadLogRepository();
        db.inTransaction(c -> {
            long r1 = release(c, "1.0.0");
            long r2 = release(c, "2.0.0");
            targets.ensureExists(c, "gw-ok", now);
            actions.create(c, "gw-ok", r1, now.minusSeconds(7200));
            for (int i = 0; i < 3; i++) {
                log.append(c, new DownloadRecord(now.minusSeconds(600 + i), "gw-ok", "10.1.0.5", r1, "a.bin", null, 1, "200 complete"));
            }
            log.append(c, new DownloadRecord(now.minusSeconds(300), "gw-nosy", "10.1.0.6", r1, "a.bin", null, 0,
                    "404 ARTIFACT_NOT_FOUND"));
            for (int i = 0; i < 20; i++) {
                targets.ensureExists(c, "gw-" + i, now);
                actions.create(c, "gw-" + i, r2, now.minusSeconds(60));
            }
            return null;
        });
        CheckInLog checkIns = new CheckInLog(db, clock);
        for (String address : List.of("198.51.100.7", "203.0.113.9", "192.0.2.44", "100.64.3.3", "100.64.3.3")) {
            checkIns.record("gw-clone", "1a2b", address);
        }
        assertEquals(4, checkIns(), "a triple seen again within the sampling period is not written again");

        scan.scan();
        assertEquals(List.of("CLONED_IDENTITY gw-clone", "UNASSIGNED_DOWNLOAD gw-nosy", "UNSCHEDULED_CAMPAIGN 2"), alerts(AlertState.OPEN));

        clock.advance(Duration.ofHours(2));
        scan.scan();
        assertEquals(List.of(), alerts(AlertState.OPEN));
        assertEquals(3, alerts(AlertState.RESOLVED).size());

        clock.advance(Duration.ofDays(8));
        scan.scan();
        assertEquals(0, checkIns(), "sightings older than window and baseline are deleted");
    }
}
