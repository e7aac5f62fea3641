package io.gantry.backend.alerts;

import io.gantry.backend.db.JobLock;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic job that every backend node schedules but the fleet runs about once per interval: a
 * run takes the job's {@link JobLock} without waiting (a node that finds it taken leaves the run to
 * the holder), skips when the job ran on any node less than half an interval ago, and otherwise runs
 * and records its instant with the lock. So two nodes on one database never evaluate at the same
 * time, and an alert's count ("how many runs found it") grows by one per interval whatever the
 * number of nodes. Whichever node comes first runs; a node that stops leaves the runs to the others.
 */
public final class OncePerIntervalRun implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(OncePerIntervalRun.class);
    private final JobLock lock;
    private final Duration minGap;
    private final Clock clock;
    private final String what;
    private final Job job;

    /** One run of a job that hands findings to the {@link AlertBook}. */
    @FunctionalInterface
    public interface Job {
        /** @return the alert changes the run made */
        List<AlertChange> run() throws SQLException;
    }

    /**
     * @param what the job's name in the log, e.g. {@code fleet health}
     * @param lock the job's row in {@code job_locks}
     * @param interval how often each node schedules the job; runs less than half of it apart are skipped
     * @param clock the instant recorded and compared, read once per run
     * @param job the run itself
     */
    public OncePerIntervalRun(String what, JobLock lock, Duration interval, Clock clock, Job job) {
        this.what = Objects.requireNonNull(what, "what");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.minGap = interval.dividedBy(2);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.job = Objects.requireNonNull(job, "job");
    }

    /** @return whether this call ran the job (false: another node holds it or ran it recently) */
    public boolean runIfDue() throws SQLException {
        Optional<JobLock.Held> taken = lock.tryAcquire();
        if (taken.isEmpty()) {
            return false;
        }
        try (JobLock.Held held = taken.get()) {
            Instant now = clock.instant();
            Optional<Instant> last = held.lastRun();
            if (last.isPresent() && last.get().plus(minGap).isAfter(now)) {
                return false;
            }
            try {
                List<AlertChange> changes = job.run();
                if (!changes.isEmpty()) {
                    LOG.info("{}: {} alert change(s)", what, changes.size());
                }
            } catch (SQLException | RuntimeException e) {
                // Recorded as run all the same: the next interval tries again, on whichever node comes first.
                LOG.error("{} failed; trying again at the next run", what, e);
            }
            held.recordRun(now);
            return true;
        }
    }

    /** One scheduled attempt; a failure to take or release the lock is logged and the next attempt tries again. */
    @Override
    public void run() {
        try {
            runIfDue();
        } catch (SQLException | RuntimeException e) {
            LOG.error("{}: cannot take or release its job lock; trying again at the next run", what, e);
        }
    }
}
