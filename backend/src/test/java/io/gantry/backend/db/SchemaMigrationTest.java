package io.gantry.backend.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway brings an empty database (H2 file, or PostgreSQL in the second test run) up to the current schema, once. */
class SchemaMigrationTest {
    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    static List<String> tables(Database db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME").toLowerCase());
            }
        }
        return out;
    }

    @Test
    void schemaComesUpOnAnEmptyFileDatabaseAndSurvivesReopening(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(TestDatabases.empty(dir.resolve("db")), dir.resolve("db"))) {
            assertTrue(tables(db).containsAll(List.of("targets", "releases", "release_payloads", "actions", "action_status", "security_events",
                    "flyway_schema_history")), tables(db).toString());
            db.inTransaction(c -> {
                new TargetRepository().recordPoll(c, "dev-1", NOW);
                return null;
            });
        }
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            assertEquals(NOW, db.inTransaction(c -> new TargetRepository().find(c, "dev-1")).orElseThrow().firstSeen());
            try (Connection c = db.dataSource().getConnection();
                    ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = '1'")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "the migration ran once");
            }
        }
    }

    @Test
    void releaseNameAndVersionAreUniqueAndTheTransactionRollsBack(@TempDir Path dir) throws Exception {
        ReleaseMetadata m = new ReleaseMetadata(ReleaseMetadata.SCHEMA, "fw", "1.0.0", ReleaseKind.FIRMWARE, "acme", NOW, NOW.plusSeconds(86400), 0, "me",
                List.of(new PayloadInfo("a.bin", "0".repeat(64), 1)));
        ReleaseRepository releases = new ReleaseRepository();
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            db.inTransaction(c -> releases.insert(c, m, new byte[] {1}, new byte[] {2}, List.of("k"), NOW));
            SQLException e = assertThrows(SQLException.class,
                    () -> db.inTransaction(c -> releases.insert(c, m, new byte[] {1}, new byte[] {2}, List.of("k"), NOW)));
            assertEquals(ReleaseRepository.DUPLICATE_KEY, e.getSQLState());
            assertEquals(1, db.inTransaction(releases::count));
        }
    }
}
