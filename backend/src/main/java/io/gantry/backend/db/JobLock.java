package io.gantry.backend.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

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
 *
 * <p>{@link #tryAcquire} does not wait ({@code FOR UPDATE SKIP LOCKED}): a periodic job that finds
 * the lock taken leaves this run to the node holding it. The row also records when the job last ran
 * on any node ({@code last_run_at}, V26), read and written under the lock.
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
        return lock("").orElseThrow(() -> new SQLException("no job lock named " + name + " (job_locks)"));
    }

    /**
     * Takes the lock if no other node (or thread) holds it, without waiting.
     *
     * @return the held lock, or empty when another holder has it now
     * @throws SQLException if the database cannot be reached or the row is missing
     */
    public Optional<Held> tryAcquire() throws SQLException {
        Optional<Held> held = lock(" SKIP LOCKED");
        if (held.isEmpty()) {
            try (Connection c = database.dataSource().getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT name FROM job_locks WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("no job lock named " + name + " (job_locks)");
                    }
                }
            }
        }
        return held;
    }

    private Optional<Held> lock(String mode) throws SQLException {
        Connection c = database.dataSource().getConnection();
        try {
            c.setAutoCommit(false);
            if (database.dialect() == Dialect.POSTGRESQL) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '" + WAIT.toMillis() + "ms'");
                    st.execute("SET LOCAL idle_in_transaction_session_timeout = '" + MAX_HOLD.toMillis() + "ms'");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT last_run_at FROM job_locks WHERE name = ? FOR UPDATE" + mode)) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.rollback();
                        c.close();
                        return Optional.empty();
                    }
                    OffsetDateTime last = rs.getObject(1, OffsetDateTime.class);
                    return Optional.of(new Held(c, name, last == null ? null : last.toInstant()));
                }
            }
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
        private final String name;
        private final Instant lastRun;
        private boolean recorded;

        private Held(Connection connection, String name, Instant lastRun) {
            this.connection = connection;
            this.name = name;
            this.lastRun = lastRun;
        }

        /** @return when the job last ran on any node, as recorded with {@link #recordRun}; empty if never */
        public Optional<Instant> lastRun() {
            return Optional.ofNullable(lastRun);
        }

        /** Records that the job ran at {@code at}; written when the lock is released. */
        public void recordRun(Instant at) throws SQLException {
            try (PreparedStatement ps = connection.prepareStatement("UPDATE job_locks SET last_run_at = ? WHERE name = ?")) {
                ps.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                ps.setString(2, name);
                ps.executeUpdate();
            }
            recorded = true;
        }

        /**
         * Ends the lock's transaction, committing the run recorded with {@link #recordRun} (if any),
         * and returns its connection to the pool.
         */
        @Override
        public void close() throws SQLException {
            try (connection) {
                if (recorded) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
            }
        }
    }
}
