package io.gantry.backend.health;

import io.gantry.backend.alerts.AlertBook;
import io.gantry.backend.alerts.AlertChange;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.db.Database;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The periodic fleet-health run: reads a {@link FleetSnapshot} at the clock's instant, applies the
 * {@link FleetHealthRules} and hands the findings to the {@link AlertBook}, which opens, updates and
 * resolves the CERT_EXPIRING, RENEWAL_FAILING, DEVICE_SILENT and ROLLOUT_OVER_THRESHOLD alerts.
 */
public final class FleetHealthEvaluator {
    /** Its row in {@code job_locks} (V26): one node runs it per interval ({@code alerts.OncePerIntervalRun}). */
    public static final String LOCK = "fleet-health";
    private final Database database;
    private final AlertBook book;
    private final FleetHealthRules rules;
    private final Clock clock;
    private final FleetHealthQueries queries = new FleetHealthQueries();

    /**
     * @param database the backend's database
     * @param book where findings go
     * @param rules what counts as a problem
     * @param clock the evaluation instant, read once per run
     */
    public FleetHealthEvaluator(Database database, AlertBook book, FleetHealthRules rules, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.book = Objects.requireNonNull(book, "book");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the alert changes of one evaluation */
    public List<AlertChange> evaluate() throws SQLException {
        Instant now = clock.instant();
        FleetSnapshot snapshot = database.inTransaction(c -> queries.read(c, now, rules.warnBefore(now), rules.silentBefore(now)));
        List<Finding> findings = rules.evaluate(snapshot, now);
        return book.reconcile(FleetHealthRules.KINDS, findings);
    }
}
