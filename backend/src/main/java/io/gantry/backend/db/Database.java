package io.gantry.backend.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The backend's H2 file database ({@code <dir>/gantry}), pooled by HikariCP, its schema brought up
 * to date by the Flyway migrations in {@code db/migration} before first use.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /**
     * Opens (creating if needed) and migrates the database in {@code dir}.
     *
     * @throws IOException if the folder cannot be created
     */
    public static Database open(Path dir) throws IOException {
        Files.createDirectories(dir);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:h2:file:" + dir.toAbsolutePath().resolve("gantry") + ";DB_CLOSE_ON_EXIT=FALSE");
        hc.setUsername("gantry");
        hc.setPassword("");
        hc.setMaximumPoolSize(8);
        hc.setPoolName("gantry-db");
        HikariDataSource pool = new HikariDataSource(hc);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration", "classpath:io/gantry/backend/db/migration").load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    /** @return the pooled data source */
    public DataSource dataSource() {
        return pool;
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
