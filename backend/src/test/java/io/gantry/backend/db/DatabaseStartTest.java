package io.gantry.backend.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gantry.backend.config.DatabaseSettings;
import io.gantry.backend.failure.DatabaseFailure;
import io.gantry.testing.TestPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Choosing the database: a {@code jdbc:postgresql://} URL with a login selects PostgreSQL, anything
 * else is refused before connecting, and a server that cannot be used stops the start with a stable
 * code. The login and missing-database cases need the real server: they run in the PostgreSQL run.
 */
class DatabaseStartTest {

    @Test
    void settingsAreCheckedBeforeConnecting() {
        DatabaseSettings.EMBEDDED.validate();
        assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.postgresql("jdbc:mysql://db/gantry", "u", "p").validate());
        assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.postgresql("jdbc:h2:mem:x", "u", "p").validate());
        assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.postgresql("jdbc:postgresql://", "u", "p").validate());
        assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.postgresql("jdbc:postgresql://db/gantry", " ", "p").validate());
        assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.postgresql("jdbc:postgresql://db/gantry", "u", null).validate());
        assertThrows(IllegalArgumentException.class, () -> new DatabaseSettings(null, "u", "p").validate());
        DatabaseSettings.postgresql("jdbc:postgresql://db.example:5432/gantry", "gantry", "").validate();
    }

    @Test
    void thePasswordIsNeverPrinted() {
        DatabaseSettings s = DatabaseSettings.postgresql("jdbc:postgresql://db/gantry?password=inurl", "gantry", "s3cret");
        assertFalse(s.toString().contains("s3cret") || s.toString().contains("inurl"), s.toString());
        assertTrue(s.toString().contains("jdbc:postgresql://db/gantry") && s.toString().contains("gantry"), s.toString());
    }

    @Test
    void aServerThatDoesNotAnswerIsDatabaseUnreachable(@TempDir Path dir) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        DatabaseStartException e = assertThrows(DatabaseStartException.class, () -> Database.open(
                DatabaseSettings.postgresql("jdbc:postgresql://127.0.0.1:" + closed + "/gantry", "gantry", "pw"), dir.resolve("db")));
        assertEquals(DatabaseFailure.DATABASE_UNREACHABLE, e.code());
        assertTrue(e.getMessage().startsWith("DATABASE_UNREACHABLE: ") && e.getMessage().contains("127.0.0.1:" + closed),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("db")), "no embedded database was made instead");
    }

    @Test
    void aWrongPasswordIsDatabaseLoginRefused(@TempDir Path dir) {
        assumeTrue(TestPostgres.selected(), "needs the real PostgreSQL (-Dgantry.test.db=postgresql)");
        String url = TestPostgres.createDatabase();
        DatabaseStartException e = assertThrows(DatabaseStartException.class,
                () -> Database.open(DatabaseSettings.postgresql(url, TestPostgres.USER, "wrong-password"), dir));
        assertEquals(DatabaseFailure.DATABASE_LOGIN_REFUSED, e.code());
        assertTrue(e.getMessage().contains("password authentication failed") && !e.getMessage().contains("wrong-password"),
                e.getMessage());
        e = assertThrows(DatabaseStartException.class,
                () -> Database.open(DatabaseSettings.postgresql(url, "nobody", TestPostgres.PASSWORD), dir));
        assertEquals(DatabaseFailure.DATABASE_LOGIN_REFUSED, e.code());
    }

    @Test
    void aDatabaseThatDoesNotExistIsDatabaseMissing(@TempDir Path dir) {
        assumeTrue(TestPostgres.selected(), "needs the real PostgreSQL (-Dgantry.test.db=postgresql)");
        String url = TestPostgres.server().url("no_such_database");
        DatabaseStartException e = assertThrows(DatabaseStartException.class,
                () -> Database.open(DatabaseSettings.postgresql(url, TestPostgres.USER, TestPostgres.PASSWORD), dir));
        assertEquals(DatabaseFailure.DATABASE_MISSING, e.code());
        assertTrue(e.getMessage().contains("no_such_database"), e.getMessage());
    }

    @Test
    void theTestDatabaseIsTheSelectedKind(@TempDir Path dir) throws Exception {
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            assertEquals(TestPostgres.selected() ? Dialect.POSTGRESQL : Dialect.H2, db.dialect());
            assertEquals(db.dialect(), db.inTransaction(Dialect::of));
        }
    }
}
