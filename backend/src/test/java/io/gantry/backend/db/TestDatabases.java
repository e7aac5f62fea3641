package io.gantry.backend.db;

import io.gantry.backend.config.DatabaseSettings;
import io.gantry.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The database every backend test uses: the embedded H2 database by default, a fresh PostgreSQL
 * database on the JVM's {@link TestPostgres} server when {@code -Dgantry.test.db=postgresql} (the
 * backend's second Surefire run). A test names its database by the folder the embedded one would
 * live in; the same folder gives the same PostgreSQL database, so reopening works on both.
 *
 * <p>On PostgreSQL, {@link #settings} copies a template that the migrations brought up to date once
 * per JVM (a copy takes a fraction of running them again); {@link #empty} gives a database no
 * migration has touched, for the tests of the migrations themselves.
 */
public final class TestDatabases {
    private static final Map<Path, DatabaseSettings> BY_DIR = new ConcurrentHashMap<>();
    private static String template;

    private TestDatabases() {
    }

    /** @return the settings of the test database for {@code embeddedDir}, its schema current */
    public static DatabaseSettings settings(Path embeddedDir) {
        return settings(embeddedDir, true);
    }

    /** @return the settings of a test database for {@code embeddedDir} that no migration has run on yet */
    public static DatabaseSettings empty(Path embeddedDir) {
        return settings(embeddedDir, false);
    }

    /** @return the test database for {@code embeddedDir}, opened and migrated */
    public static Database open(Path embeddedDir) throws IOException {
        return Database.open(settings(embeddedDir), embeddedDir);
    }

    /**
     * @return a plain connection (no pool, no migration) to the test database for {@code embeddedDir}, for
     *     reading what a running backend wrote; H2 opens its file in this JVM beside the backend's pool
     */
    public static Connection connect(Path embeddedDir) throws SQLException {
        DatabaseSettings s = settings(embeddedDir);
        if (s.embedded()) {
            return DriverManager.getConnection("jdbc:h2:file:" + embeddedDir.toAbsolutePath().resolve("gantry")
                    + ";DB_CLOSE_ON_EXIT=FALSE", "gantry", "");
        }
        return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
    }

    private static DatabaseSettings settings(Path embeddedDir, boolean migrated) {
        if (!TestPostgres.selected()) {
            return DatabaseSettings.EMBEDDED;
        }
        return BY_DIR.computeIfAbsent(embeddedDir.toAbsolutePath().normalize(), d -> postgresql(
                migrated ? TestPostgres.createDatabase(migratedTemplate()) : TestPostgres.createDatabase()));
    }

    private static synchronized String migratedTemplate() {
        if (template == null) {
            String url = TestPostgres.createDatabase();
            try {
                Database.open(postgresql(url), Path.of("unused-embedded-dir")).close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            template = TestPostgres.name(url);
        }
        return template;
    }

    private static DatabaseSettings postgresql(String url) {
        return DatabaseSettings.postgresql(url, TestPostgres.USER, TestPostgres.PASSWORD);
    }
}
