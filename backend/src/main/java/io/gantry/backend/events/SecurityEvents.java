package io.gantry.backend.events;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.SecurityEventRow;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that records security events. Recording never fails the caller: if the database
 * refuses the row, the event is logged at ERROR (with all its fields) and the request goes on with
 * the answer it was going to get. The table is capped: after each insert, rows more than
 * {@code maxRows} ids older than the new one are deleted, so a flood of failed handshakes costs
 * bounded disk.
 */
public final class SecurityEvents {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityEvents.class);
    private final Database database;
    private final SecurityEventRepository repository;
    private final Clock clock;
    private final long maxRows;

    /**
     * @param database where events are stored
     * @param repository the table
     * @param clock the time source for {@code occurredAt}
     * @param maxRows most events kept (positive)
     */
    public SecurityEvents(Database database, SecurityEventRepository repository, Clock clock, long maxRows) {
        if (maxRows <= 0) {
            throw new IllegalArgumentException("maxRows must be positive: " + maxRows);
        }
        this.database = Objects.requireNonNull(database, "database");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxRows = maxRows;
    }

    /**
     * Records an event; never throws.
     *
     * @param code the stable code ({@link SecurityEventCodes} or a {@code RejectionCode} name)
     * @param subject certificate subject DN or device id, or {@code null}
     * @param remoteAddress client IP address, or {@code null}
     * @param detail what was refused, in words
     */
    public void record(String code, String subject, String remoteAddress, String detail) {
        long id;
        try {
            Instant now = clock.instant();
            // One insert at a time, so rows become visible in id order: the alert dispatcher's cursor
            // (AlertDispatcher) must never pass an id whose transaction has not committed yet.
            synchronized (this) {
                id = database.inTransaction(c -> repository.insert(c, now, code, subject, remoteAddress, detail));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("could not record security event {} (subject {}, from {}): {}", code, subject, remoteAddress,
                    detail, e);
            return;
        }
        LOG.debug("security event {} {}: {} from {}: {}", id, code, subject, remoteAddress, detail);
        if (id > maxRows) {
            prune(id - maxRows);
        }
    }

    /**
     * @param limit most events returned
     * @return the newest events, newest first
     */
    public List<SecurityEventRow> newest(int limit) throws SQLException {
        return database.inTransaction(c -> repository.newest(c, limit));
    }

    private void prune(long upToId) {
        try {
            database.inTransaction(c -> repository.deleteUpTo(c, upToId));
        } catch (SQLException | RuntimeException e) {
            LOG.error("could not delete security events up to id {} (table cap)", upToId, e);
        }
    }
}
