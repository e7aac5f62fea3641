package io.gantry.backend.db;

import io.gantry.backend.config.DatabaseSettings;
import io.gantry.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The database every backend test uses: the embedded H2 database by default, a fresh PostgreSQL
 * database on the JVM's {@link TestPostgres} server when {@code -Dgantry.test.db=postgresql} (the
 * backend's second Surefire run). A test names its database by the folder the embedded one would
 * live in; the same folder gives the same PostgreSQL database, so reopening works on both.
 */
public final class TestDatabases {
    private static final Map<Path, DatabaseSettings> BY_DIR = new ConcurrentHashMap<>();

    private TestDatabases() {
    }

    /** @return the settings of the test database for {@code embeddedDir} */
    public static DatabaseSettings settings(Path embeddedDir) {
        if (!TestPostgres.selected()) {
            return DatabaseSettings.EMBEDDED;
        }
        return BY_DIR.computeIfAbsent(embeddedDir.toAbsolutePath().normalize(),
                d -> DatabaseSettings.postgresql(TestPostgres.createDatabase(), TestPostgres.USER, TestPostgres.PASSWORD));
    }

    /** @return the test database for {@code embeddedDir}, opened and migrated */
    public static Database open(Path embeddedDir) throws IOException {
        return Database.open(settings(embeddedDir), embeddedDir);
    }
}
