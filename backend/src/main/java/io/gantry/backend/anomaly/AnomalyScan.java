package io.gantry.backend.anomaly;

import io.gantry.backend.alerts.AlertBook;
import io.gantry.backend.alerts.AlertChange;
import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.config.AnomalyThresholds;
import io.gantry.backend.db.Database;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The periodic anomaly scan: reads the {@link AnomalyWindow} ending at the clock's instant, runs
 * every detector and hands the findings to the {@link AlertBook}; an anomaly alert resolves once
 * the window no longer shows it. Check-in sightings older than window plus baseline are deleted.
 */
public final class AnomalyScan {
    /** Its row in {@code job_locks} (V26): one node runs it per interval ({@code alerts.OncePerIntervalRun}). */
    public static final String LOCK = "anomaly-scan";
    /** The kinds the detectors own. */
    public static final Set<AlertKind> KINDS = EnumSet.of(AlertKind.UNASSIGNED_DOWNLOAD, AlertKind.DOWNLOAD_BURST,
            AlertKind.CLONED_IDENTITY, AlertKind.UNUSUAL_REGION, AlertKind.UNSCHEDULED_CAMPAIGN);
    private final Database database;
    private final AlertBook book;
    private final AnomalyThresholds thresholds;
    private final Clock clock;
    private final AnomalyQueries queries = new AnomalyQueries();

    /**
     * @param database the backend's database
     * @param book where findings go
     * @param thresholds window, baseline and limits
     * @param clock the scan's instant, read once per run
     */
    public AnomalyScan(Database database, AlertBook book, AnomalyThresholds thresholds, Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.book = Objects.requireNonNull(book, "book");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return every detector's findings over {@code w} */
    public static List<Finding> detect(AnomalyWindow w, AnomalyThresholds t) {
        List<Finding> out = new ArrayList<>();
        out.addAll(UnassignedDownloadDetector.detect(w, t));
        out.addAll(DownloadBurstDetector.detect(w, t));
        out.addAll(ClonedIdentityDetector.detect(w, t));
        out.addAll(NetworkRegionDetector.detect(w, t));
        out.addAll(UnscheduledCampaignDetector.detect(w, t));
        return out;
    }

    /** @return the alert changes of one scan */
    public List<AlertChange> scan() throws SQLException {
        Instant now = clock.instant();
        AnomalyWindow w = database.inTransaction(c -> queries.read(c, now, thresholds.window(), thresholds.baseline()));
        List<AlertChange> changes = book.reconcile(KINDS, detect(w, thresholds));
        database.inTransaction(c -> CheckInLog.deleteBefore(c, w.from().minus(thresholds.baseline())));
        return changes;
    }
}
