package io.gantry.backend.alerts;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background thread running the fleet-health evaluator and the anomaly scan, each at its own
 * fixed delay. {@link #close} lets a run in progress finish instead of interrupting it (an
 * interrupted thread inside H2 would close the database file under every other connection).
 */
public final class PeriodicJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicJobs.class);
    private final ScheduledThreadPoolExecutor executor;

    /** Starts the thread; nothing is scheduled yet. */
    public PeriodicJobs() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gantry-fleet-watch");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /** Runs {@code job} after {@code firstDelay}, then {@code every} after each run ends; a job must not throw. */
    public void schedule(Runnable job, Duration firstDelay, Duration every) {
        executor.scheduleWithFixedDelay(job, firstDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a fleet-health or anomaly run is still going at shutdown; leaving it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
