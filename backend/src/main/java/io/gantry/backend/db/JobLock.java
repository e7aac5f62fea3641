package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * A named lock shared by every backend node on one database: the row of {@code job_locks}
 * ({@code V18__scale_out.sql}) locked with {@code SELECT ... FOR UPDATE} in a transaction on a
 * connection of its own, held until {@link Held#close}. The job itself runs in its own
 * transactions on other connections, so it commits step by step while the lock is held; a second
 * node asking for the lock waits (at most {@link #WAIT}, then {@link SQLException}) and then runs
 * on what the first committed.
 *
 * <p>A node that dies (killed, crashed) drops its connection and the database rolls its
 * transaction back, which releases the lock. On PostgreSQL a node that hangs with the lock held
 * loses it after {@link #MAX_HOLD} idle in the transaction (the server ends that session), so
 * one frozen node cannot stop the others for longer. The lock is an optimisation of the second
 * line of defence, not a replacement: every step the job makes is still a compare-and-set.
 */
public final class JobLock {
    /** How long a node waits for a lock another node holds before the attempt fails (PostgreSQL). */
    public static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a lock may sit idle in its transaction before PostgreSQL ends the holder's session. */
    public static final Duration MAX_HOLD = Duration.ofSeconds(60);
    private final Database database;
    private final String name;

    /**
     * @param database the shared database
     * @param name the row of {@code job_locks} (a migration inserts each one)
     */
    public JobLock(Database database, String name) {
        this.database = Objects.requireNonNull(database, "database");
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Waits for the lock and takes it.
     *
     * @return the held lock; close it to release
     * @throws SQLException if the database cannot be reached, the wait timed out or the row is missing
     */
    public Held acquire() throws SQLException {
        Connection c = database.dataSource().getConnection();
        try {
            c.setAutoCommit(false);
            if (database.dialect() == Dialect.POSTGRESQL) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '" + WAIT.toMillis() + "ms'");
                    st.execute("SET LOCAL idle_in_transaction_session_timeout = '" + MAX_HOLD.toMillis() + "ms'");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM job_locks WHERE name = ? FOR UPDATE")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("no job lock named " + name + " (job_locks)");
                    }
                }
            }
            return new Held(c);
        } catch (SQLException | RuntimeException e) {
            try (c) {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** A lock this node holds; {@link #close} releases it (once). */
    public static final class Held implements AutoCloseable {
        private final Connection connection;

        private Held(Connection connection) {
            this.connection = connection;
        }

        /** Ends the lock's transaction (nothing was written in it) and returns its connection to the pool. */
        @Override
        public void close() throws SQLException {
            try (connection) {
                connection.rollback();
            }
        }
    }
}
