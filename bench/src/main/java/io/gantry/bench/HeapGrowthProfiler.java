package io.gantry.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH profiler ({@code -prof io.gantry.bench.HeapGrowthProfiler}) for the peak growth of the used
 * Java heap over each iteration.
 *
 * <p>Before an iteration it forces a full GC and takes the used heap as the baseline. During the
 * iteration the used heap only grows between collections, so its peak is the larger of the used
 * heap just before each collection (exact, from the GC notifications, collections before the
 * iteration ignored) and the used heap at the end; a sampler every 10 ms covers space a JDK 17
 * concurrent-cycle pause frees without a notification. Results, in MiB, maximum over iterations:
 * <ul>
 * <li>{@code heap.growth.peak}: peak used heap minus the baseline. It includes the garbage of every
 *     operation of the iteration not yet collected, so it is an upper bound of what one operation
 *     needs, coarsened by TLAB and region granularity;
 * <li>{@code heap.growth.retained}: used heap after another forced full GC at the end, minus the
 *     baseline: what the iteration left reachable.
 * </ul>
 */
public final class HeapGrowthProfiler implements InternalProfiler {
    private static final double MIB = 1024 * 1024;
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong notified = new AtomicLong();
    private volatile Map<String, Long> countsAtStart = Map.of();
    private volatile boolean sampling;
    private Thread sampler;
    private long baseline;

    public HeapGrowthProfiler() {
        for (GarbageCollectorMXBean gc : collectors) {
            ((NotificationEmitter) gc).addNotificationListener(this::onGc,
                    n -> GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType()), null);
        }
    }

    @Override
    public String getDescription() {
        return "Peak and retained growth of the used heap over each iteration, from a forced-GC baseline";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        System.gc();
        baseline = memory.getHeapMemoryUsage().getUsed();
        peak.set(baseline);
        notified.set(0);
        countsAtStart = collectionCounts();
        sampling = true;
        sampler = new Thread(() -> {
            while (sampling) {
                sample();
                LockSupport.parkNanos(SAMPLE_NANOS);
            }
        }, "heap-growth-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        sample();
        awaitNotifications();
        sampling = false;
        LockSupport.unpark(sampler);
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double growth = (peak.get() - baseline) / MIB;
        System.gc();
        double retained = (memory.getHeapMemoryUsage().getUsed() - baseline) / MIB;
        return List.of(
                new ScalarResult("heap.growth.peak", growth, "MiB", AggregationPolicy.MAX),
                new ScalarResult("heap.growth.retained", retained, "MiB", AggregationPolicy.MAX));
    }

    private void sample() {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
    }

    private void onGc(Notification n, Object handback) {
        if (!sampling) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        Long start = countsAtStart.get(info.getGcName());
        if (start == null || info.getGcInfo().getId() <= start) {
            return; // a collection from before the iteration, such as the forced one
        }
        long before = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                before += pool.getValue().getUsed();
            }
        }
        peak.accumulateAndGet(before, Math::max);
        notified.incrementAndGet();
    }

    /** Notifications arrive on another thread: wait (briefly) for those of this iteration's collections. */
    private void awaitNotifications() {
        long expected = 0;
        for (Map.Entry<String, Long> e : collectionCounts().entrySet()) {
            expected += e.getValue() - countsAtStart.getOrDefault(e.getKey(), 0L);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (notified.get() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private Map<String, Long> collectionCounts() {
        Map<String, Long> counts = new HashMap<>();
        for (GarbageCollectorMXBean gc : collectors) {
            counts.put(gc.getName(), gc.getCollectionCount());
        }
        return counts;
    }
}
