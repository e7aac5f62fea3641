package io.gantry.backend.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collector whose snapshots cost a database query: computed at most once per {@code maxAge}
 * whatever the scrape rate, so the query's cost is bounded by time, not by how many scrapers ask.
 * A failed computation is logged and exposes nothing for that family until the next one succeeds
 * (a scrape never fails because the database is down; {@code /health} reports that).
 *
 * <p>Age is measured on a monotonic ticker ({@code System::nanoTime} in the server), not on the
 * backend's {@link java.time.Clock}: a fixed or stepped wall clock must not freeze or flush the cache.
 */
public final class ScrapeCache implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeCache.class);
    private final String what;
    private final Duration maxAge;
    private final LongSupplier nanoTicker;
    private final Callable<MetricSnapshots> compute;
    private MetricSnapshots last;
    private long computedAt;
    private boolean computed;

    /**
     * @param what the metrics it computes, for the log
     * @param maxAge how long a computed snapshot is served before it is computed again
     * @param nanoTicker a monotonic time in nanoseconds ({@code System::nanoTime})
     * @param compute the (database) computation
     */
    public ScrapeCache(String what, Duration maxAge, LongSupplier nanoTicker, Callable<MetricSnapshots> compute) {
        this.what = Objects.requireNonNull(what, "what");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.nanoTicker = Objects.requireNonNull(nanoTicker, "nanoTicker");
        this.compute = Objects.requireNonNull(compute, "compute");
    }

    @Override
    public synchronized MetricSnapshots collect() {
        long now = nanoTicker.getAsLong();
        if (computed && now - computedAt < maxAge.toNanos()) {
            return last;
        }
        try {
            last = compute.call();
        } catch (Exception e) {
            LOG.warn("metrics: could not compute {}: {}", what, e.toString());
            last = MetricSnapshots.of();
        }
        computedAt = now;
        computed = true;
        return last;
    }
}
