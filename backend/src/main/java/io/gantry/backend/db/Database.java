package io.gantry.backend.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.gantry.backend.config.DatabaseSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The backend's database, pooled by HikariCP, its schema brought up to date by the Flyway
 * migrations in {@code db/migration} (and the Java ones in {@code io.gantry.backend.db.migration})
 * before first use: by default an embedded H2 file database ({@code <dir>/gantry}), or the
 * PostgreSQL database that {@link DatabaseSettings} name. The same migrations and statements serve
 * both; where the two differ, {@link Dialect} chooses.
 */
public final class Database implements AutoCloseable {
    /** How long a PostgreSQL server may take to accept a connection before it counts as unreachable. */
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final String[] MIGRATIONS = {"classpath:db/migration", "classpath:io/gantry/backend/db/migration"};
    private final HikariDataSource pool;
    private final Dialect dialect;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /**
     * Opens (creating if needed) and migrates the embedded H2 database in {@code dir}.
     *
     * @throws IOException if the folder cannot be created
     */
    public static Database open(Path dir) throws IOException {
        return open(DatabaseSettings.EMBEDDED, dir);
    }

    /**
     * Opens and migrates the database {@code settings} name; the embedded one lives in {@code embeddedDir}.
     *
     * @throws IOException if the embedded database's folder cannot be created
     * @throws DatabaseStartException if PostgreSQL does not answer, refuses the login or lacks the database
     * @throws IllegalArgumentException if the settings are invalid
     */
    public static Database open(DatabaseSettings settings, Path embeddedDir) throws IOException {
        settings.validate();
        HikariConfig hc = new HikariConfig();
        Dialect dialect;
        if (settings.embedded()) {
            Files.createDirectories(embeddedDir);
            hc.setJdbcUrl("jdbc:h2:file:" + embeddedDir.toAbsolutePath().resolve("gantry") + ";DB_CLOSE_ON_EXIT=FALSE");
            hc.setUsername("gantry");
            hc.setPassword("");
            dialect = Dialect.H2;
        } else {
            probe(settings);
            hc.setJdbcUrl(settings.jdbcUrl());
            hc.setUsername(settings.user());
            hc.setPassword(settings.password());
            hc.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
            hc.addDataSourceProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
            hc.addDataSourceProperty("ApplicationName", "gantry-backend");
            dialect = Dialect.POSTGRESQL;
        }
        hc.setMaximumPoolSize(8);
        hc.setPoolName("gantry-db");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (HikariPool.PoolInitializationException e) {
            throw DatabaseStartException.of(settings, e.getCause() instanceof SQLException sql ? sql : null, e);
        }
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).callbacks(new PortableTypes()).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, dialect);
    }

    /** One connection before the pool is built: a refusal is classified at once, without Hikari's retry. */
    private static void probe(DatabaseSettings settings) {
        Properties p = new Properties();
        p.setProperty("user", settings.user());
        p.setProperty("password", settings.password());
        p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), p)) {
            c.isValid(CONNECT_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            throw DatabaseStartException.of(settings, e, e);
        }
    }

    /** @return the pooled data source */
    public DataSource dataSource() {
        return pool;
    }

    /** @return which kind of database this is */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
     *
     * @return what {@code work} returned
     */
    public <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Work done with one connection inside a transaction. */
    @FunctionalInterface
    public interface SqlWork<T> {
        /** @return the result of the work */
        T run(Connection connection) throws SQLException;
    }
}
