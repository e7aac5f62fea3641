package io.gantry.metrics.internal;

import io.gantry.api.metrics.GatewayCounter;
import io.gantry.api.metrics.MetricsSink;
import io.gantry.api.renewal.RenewalPhase;
import io.gantry.api.renewal.RenewalStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The gateway's {@link MetricsSink}: counters in memory ({@link CounterTable}), and every
 * {@code intervalSeconds} (and at deactivation) the counters plus the certificate and renewal
 * state of {@link RenewalStatus} written to {@code path} in the Prometheus text format, whole
 * files only (written aside, then renamed over the old one), for node_exporter's textfile
 * collector. No listening socket: why, in docs/metrics.md.
 */
@Component(configurationPid = "io.gantry.metrics", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = MetricsSink.class)
@Designate(ocd = MetricsConfig.class)
public final class TextfileMetrics implements MetricsSink {
    private static final System.Logger LOG = System.getLogger(TextfileMetrics.class.getName());
    private final CounterTable counters = new CounterTable();
    private final Path path;
    private final Clock clock;
    private final ScheduledExecutorService writer;
    /** The renewal state, when the renewal bundle runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile RenewalStatus renewal;

    /** @throws IllegalArgumentException on a blank path or an interval outside 1..3600 s */
    @Activate
    public TextfileMetrics(MetricsConfig config) {
        this(Path.of(requirePath(config.path())), Duration.ofSeconds(requireInterval(config.intervalSeconds())), Clock.systemUTC());
    }

    /** @param interval between writes; {@link Duration#ZERO}: only when {@link #writeNow} is called (tests) */
    TextfileMetrics(Path path, Duration interval, Clock clock) {
        this.path = path.toAbsolutePath();
        this.clock = clock;
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gantry-metrics-writer");
            t.setDaemon(true);
            return t;
        });
        if (!interval.isZero()) {
            writer.scheduleWithFixedDelay(this::writeQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        writer.shutdownNow();
        writer.awaitTermination(5, TimeUnit.SECONDS);
        writeQuietly();
    }

    @Override
    public void add(GatewayCounter counter, String label, long amount) {
        counters.add(counter, label, amount);
    }

    private void writeQuietly() {
        try {
            writeNow();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "metrics file {0} not written: {1}", path, e.toString());
        }
    }

    /** Writes the file now, whole: a reader sees the old file or the new one, never a part. */
    synchronized void writeNow() throws IOException {
        Files.createDirectories(path.getParent());
        Path tmp = path.resolveSibling("." + path.getFileName() + ".tmp");
        Files.writeString(tmp, exposition(), StandardCharsets.UTF_8);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the text format of the counters and the renewal state, as of now */
    String exposition() {
        TextExposition out = new TextExposition();
        for (GatewayCounter c : GatewayCounter.values()) {
            out.family(c.metricName() + "_total", "counter", c.help());
            Map<String, Long> values = counters.snapshot(c);
            if (c.labelName() == null) {
                out.sample(c.metricName() + "_total", Map.of(), values.getOrDefault("", 0L));
            } else {
                values.forEach((label, n) -> out.sample(c.metricName() + "_total", Map.of(c.labelName(), label), n));
            }
        }
        Instant now = clock.instant();
        RenewalStatus status = renewal;
        if (status != null) {
            out.family("gantry_gateway_certificate_expiry_days", "gauge",
                    "Days until the gateway's device certificate expires (negative: expired).");
            out.sample("gantry_gateway_certificate_expiry_days", Map.of(),
                    Duration.between(now, status.notAfter()).toSeconds() / 86_400.0);
            out.family("gantry_gateway_renewal_phase", "gauge", "The certificate renewal phase: 1 for the current one, 0 for the others.");
            RenewalPhase phase = status.phase();
            for (RenewalPhase p : RenewalPhase.values()) {
                out.sample("gantry_gateway_renewal_phase", Map.of("phase", p.name()), p == phase ? 1 : 0);
            }
            out.family("gantry_gateway_renewal_failures_in_row", "gauge", "Failed renewal attempts since the last success.");
            out.sample("gantry_gateway_renewal_failures_in_row", Map.of(), status.failures());
        }
        out.family("gantry_gateway_metrics_written_timestamp_seconds", "gauge", "When this file was written (Unix time).");
        out.sample("gantry_gateway_metrics_written_timestamp_seconds", Map.of(), now.getEpochSecond());
        return out.toString();
    }

    private static String requirePath(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("io.gantry.metrics: path is required");
        }
        return path;
    }

    private static int requireInterval(int seconds) {
        if (seconds < 1 || seconds > 3600) {
            throw new IllegalArgumentException("io.gantry.metrics: intervalSeconds must be 1..3600: " + seconds);
        }
        return seconds;
    }
}
