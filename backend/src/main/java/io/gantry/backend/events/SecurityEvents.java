package io.gantry.backend.events;

import io.gantry.api.failure.FailureCode;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.SecurityEventRow;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.metrics.BackendMetrics;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that records security events. Recording never fails the caller: if the database
 * refuses the row, the event is logged at ERROR (with all its fields) and the request goes on with
 * the answer it was going to get.
 *
 * <p>The table is capped at about {@code maxRows} rows (bounded disk), in two budgets: refused
 * connections ({@link #CONNECTION_CODES}: anyone who reaches the port can cause them in bulk) keep
 * at most half, so a flood of failed handshakes can push out only older refused connections, never
 * the audit trail of authenticated parties or an alert not yet delivered; then the oldest rows of
 * any kind go beyond {@code maxRows}. Pruning runs every {@code maxRows / 20} inserts (at least 1,
 * at most 1,000), so the table may briefly hold that many rows more.
 */
public final class SecurityEvents {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityEvents.class);
    private final Database database;
    private final SecurityEventRepository repository;
    private final Clock clock;
    private final long maxRows;
    private final long pruneEvery;
    private final BackendMetrics metrics;
    private final EventThrottle throttle = new EventThrottle(REPEATS_PER_HOUR, Duration.ofHours(1));
    /** Events of one code for one subject stored per hour by {@link #recordRepeatable}. */
    public static final int REPEATS_PER_HOUR = 10;
    private long sincePrune;

    /** Events recorded when a connection is refused at or right after the TLS handshake. */
    public static final Set<SecurityEventCode> CONNECTION_CODES = Set.of(SecurityEventCode.TLS_HANDSHAKE_FAILED,
            SecurityEventCode.CERT_REVOKED, SecurityEventCode.CERT_UNKNOWN, SecurityEventCode.CERT_STATUS_UNAVAILABLE,
            SecurityEventCode.INTERMEDIATE_RETIRED);
    /** {@link #CONNECTION_CODES} as stored. */
    private static final Set<String> CONNECTION_CODE_NAMES = CONNECTION_CODES.stream().map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());

    /**
     * @param database where events are stored
     * @param repository the table
     * @param clock the time source for {@code occurredAt}
     * @param maxRows most events kept (positive)
     */
    public SecurityEvents(Database database, SecurityEventRepository repository, Clock clock, long maxRows) {
        this(database, repository, clock, maxRows, new BackendMetrics());
    }

    /**
     * As {@link #SecurityEvents(Database, SecurityEventRepository, Clock, long)}, counting every event
     * by code in {@code metrics} (throttled repeats included: the count is what happened, the table
     * what was kept).
     */
    public SecurityEvents(Database database, SecurityEventRepository repository, Clock clock, long maxRows,
            BackendMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (maxRows <= 0) {
            throw new IllegalArgumentException("maxRows must be positive: " + maxRows);
        }
        this.database = Objects.requireNonNull(database, "database");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxRows = maxRows;
        this.pruneEvery = Math.max(1, Math.min(1_000, maxRows / 20));
    }

    /**
     * Records an event; never throws.
     *
     * @param code the stable code, stored as its name
     * @param subject certificate subject DN or device id, or {@code null}
     * @param remoteAddress client IP address, or {@code null}
     * @param detail what was refused, in words
     */
    public void record(FailureCode code, String subject, String remoteAddress, String detail) {
        metrics.securityEvent(code);
        store(code, subject, remoteAddress, detail);
    }

    private void store(FailureCode code, String subject, String remoteAddress, String detail) {
        long id;
        try {
            Instant now = clock.instant();
            // One insert at a time, so rows become visible in id order: the alert dispatcher's cursor
            // (AlertDispatcher) must never pass an id whose transaction has not committed yet.
            synchronized (this) {
                id = database.inTransaction(c -> repository.insert(c, now, code.name(), subject, remoteAddress, detail));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.error("could not record security event {} (subject {}, from {}): {}", code, subject, remoteAddress,
                    detail, e);
            return;
        }
        LOG.debug("security event {} {}: {} from {}: {}", id, code, subject, remoteAddress, detail);
        boolean due;
        synchronized (this) {
            due = ++sincePrune >= pruneEvery;
            if (due) {
                sincePrune = 0;
            }
        }
        if (due) {
            prune();
        }
    }

    /**
     * As {@link #record}, for refusals an authenticated party can repeat at will (a request refused
     * with 403, a renewal report): at most {@link #REPEATS_PER_HOUR} events of one code for one
     * subject per hour are stored; the rest are counted and the count is added to the detail of the
     * next one stored ("N more since ... not recorded").
     */
    public void recordRepeatable(FailureCode code, String subject, String remoteAddress, String detail) {
        if (subject == null) {
            record(code, null, remoteAddress, detail);
            return;
        }
        metrics.securityEvent(code);
        long held = throttle.admit(code.name(), subject, clock.instant());
        if (held < 0) {
            return;
        }
        store(code, subject, remoteAddress, held == 0 ? detail
                : detail + " (" + held + " more of these from this subject in the previous hour were not recorded)");
    }

    /**
     * @param limit most events returned
     * @return the newest events, newest first
     */
    public List<SecurityEventRow> newest(int limit) throws SQLException {
        return database.inTransaction(c -> repository.newest(c, limit));
    }

    private void prune() {
        try {
            database.inTransaction(c -> {
                long connections = repository.idAtOffset(c, Math.max(1, maxRows / 2), CONNECTION_CODE_NAMES);
                if (connections > 0) {
                    repository.deleteUpTo(c, connections, CONNECTION_CODE_NAMES);
                }
                long all = repository.idAtOffset(c, maxRows, null);
                return all > 0 ? repository.deleteUpTo(c, all) : 0;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.error("could not delete old security events (table cap)", e);
        }
    }
}
