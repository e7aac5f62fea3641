package io.gantry.backend.alerts;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.Dialect;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet alerts' lifecycle (docs/operations.md): each run of a job hands in everything it found
 * for the kinds it owns ({@link #reconcile}); a finding with no unresolved alert of its key opens
 * one, a finding of an unresolved alert updates it (last seen, count, severity, message), and an
 * unresolved alert of those kinds that the run no longer found is resolved. Operators acknowledge
 * ({@link #acknowledge}). Only transitions reach the sinks (opened, escalated, acknowledged,
 * resolved): a problem found at every run is delivered once, which is the deduplication.
 *
 * <p>Several backend nodes on one database may run the same job: the unique {@code active_key}
 * admits one unresolved alert per key, and a run that loses that race is retried once.
 */
public final class AlertBook {
    private static final Logger LOG = LoggerFactory.getLogger(AlertBook.class);
    private final Database database;
    private final AlertRepository alerts = new AlertRepository();
    private final Clock clock;
    private final List<AlertSink> sinks;

    /**
     * @param database where alerts live
     * @param clock time of every change
     * @param sinks where changes are delivered, in order
     */
    public AlertBook(Database database, Clock clock, List<AlertSink> sinks) {
        this.database = Objects.requireNonNull(database, "database");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sinks = List.copyOf(sinks);
    }

    /**
     * Applies one run's findings for {@code scope}; findings of other kinds are refused.
     *
     * @param scope the kinds the run looked for: their unresolved alerts not found now are resolved
     * @param findings what the run found; several of one key fold into the most severe
     * @return the changes delivered
     * @throws IllegalArgumentException for a finding outside {@code scope}
     */
    public List<AlertChange> reconcile(Set<AlertKind> scope, Collection<Finding> findings) throws SQLException {
        Map<String, Finding> byKey = new LinkedHashMap<>();
        for (Finding f : findings) {
            if (!scope.contains(f.kind())) {
                throw new IllegalArgumentException("finding of kind " + f.kind() + " outside the run's scope " + scope);
            }
            byKey.merge(f.dedupKey(), f, (a, b) -> b.severity().compareTo(a.severity()) > 0 ? b : a);
        }
        Instant now = clock.instant();
        List<AlertChange> changes;
        try {
            changes = database.inTransaction(c -> apply(c, scope, byKey, now));
        } catch (SQLException e) {
            if (!Dialect.isDuplicateKey(e)) {
                throw e;
            }
            // Another node opened one of these alerts between our read and our insert: its row is there now.
            changes = database.inTransaction(c -> apply(c, scope, byKey, now));
        }
        changes.forEach(this::deliver);
        return changes;
    }

    private List<AlertChange> apply(java.sql.Connection c, Set<AlertKind> scope, Map<String, Finding> byKey, Instant now)
            throws SQLException {
        List<AlertChange> changes = new ArrayList<>();
        for (Finding f : byKey.values()) {
            Optional<FleetAlert> existing = alerts.activeForUpdate(c, f.dedupKey());
            if (existing.isEmpty()) {
                long id = alerts.insert(c, f, now);
                changes.add(new AlertChange(alerts.find(c, id).orElseThrow(), AlertChange.Change.OPENED));
                continue;
            }
            FleetAlert a = existing.get();
            alerts.seenAgain(c, a.id(), f.severity(), f.message(), now);
            if (f.severity().compareTo(a.severity()) > 0) {
                changes.add(new AlertChange(alerts.find(c, a.id()).orElseThrow(), AlertChange.Change.ESCALATED));
            }
        }
        for (FleetAlert a : alerts.active(c, scope)) {
            if (!byKey.containsKey(a.dedupKey()) && alerts.resolve(c, a.id(), now)) {
                changes.add(new AlertChange(alerts.find(c, a.id()).orElseThrow(), AlertChange.Change.RESOLVED));
            }
        }
        return changes;
    }

    /**
     * OPEN to ACKNOWLEDGED by {@code operator}; acknowledging an acknowledged alert again changes
     * nothing and returns it as it is.
     *
     * @return the alert after the call, empty if there is no alert {@code id}
     * @throws IllegalStateException if the alert is RESOLVED (there is nothing left to take)
     */
    public Optional<FleetAlert> acknowledge(long id, String operator) throws SQLException {
        Instant now = clock.instant();
        AlertChange[] change = new AlertChange[1];
        Optional<FleetAlert> after = database.inTransaction(c -> {
            Optional<FleetAlert> a = alerts.findForUpdate(c, id);
            if (a.isEmpty()) {
                return a;
            }
            if (a.get().state() == AlertState.RESOLVED) {
                throw new IllegalStateException("alert " + id + " is resolved since " + a.get().resolvedAt());
            }
            if (alerts.acknowledge(c, id, operator, now)) {
                FleetAlert acked = alerts.find(c, id).orElseThrow();
                change[0] = new AlertChange(acked, AlertChange.Change.ACKNOWLEDGED);
                return Optional.of(acked);
            }
            return a;
        });
        if (change[0] != null) {
            deliver(change[0]);
        }
        return after;
    }

    /** @return one page of alerts, newest first, and the total */
    public Page list(AlertState state, AlertKind kind, long offset, int limit) throws SQLException {
        return database.inTransaction(c -> new Page(alerts.list(c, state, kind, offset, limit), alerts.count(c, state, kind)));
    }

    /** @return the alert, if any */
    public Optional<FleetAlert> find(long id) throws SQLException {
        return database.inTransaction(c -> alerts.find(c, id));
    }

    /**
     * Unresolved (OPEN or ACKNOWLEDGED) alerts by kind, every kind present (0 when none): what a
     * metrics gauge reports.
     */
    public Map<AlertKind, Long> unresolvedCounts() throws SQLException {
        Map<AlertKind, Long> found = database.inTransaction(alerts::unresolvedByKind);
        Map<AlertKind, Long> all = new java.util.EnumMap<>(AlertKind.class);
        for (AlertKind k : AlertKind.values()) {
            all.put(k, found.getOrDefault(k, 0L));
        }
        return all;
    }

    private void deliver(AlertChange change) {
        for (AlertSink s : sinks) {
            try {
                s.deliver(change);
            } catch (RuntimeException e) {
                LOG.error("alert sink {} failed for alert {}", s.getClass().getSimpleName(), change.alert().id(), e);
            }
        }
    }

    /**
     * One page of alerts.
     *
     * @param alerts the page, newest first
     * @param total how many match in all
     */
    public record Page(List<FleetAlert> alerts, long total) {
    }
}
