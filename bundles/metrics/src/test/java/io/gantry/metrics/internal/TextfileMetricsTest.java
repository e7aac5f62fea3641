package io.gantry.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.metrics.GatewayCounter;
import io.gantry.api.renewal.RenewalPhase;
import io.gantry.api.renewal.RenewalStatus;
import io.gantry.testing.PrometheusExposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The textfile the node_exporter collector reads: counts, renewal state, strict format, bounded labels. */
class TextfileMetricsTest {
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    @TempDir
    Path tmp;

    @Test
    void writesCountersAndRenewalStateInTheTextFormat() throws Exception {
        Path file = tmp.resolve("state/metrics.prom");
        TextfileMetrics metrics = new TextfileMetrics(file, Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC));
        metrics.increment(GatewayCounter.POLLS, "ok");
        metrics.increment(GatewayCounter.POLLS, "ok");
        metrics.increment(GatewayCounter.POLLS, "failed");
        metrics.add(GatewayCounter.DOWNLOAD_BYTES, null, 4096);
        metrics.increment(GatewayCounter.VERIFICATION_FAILURES, "BAD_SIGNATURE");
        metrics.increment(GatewayCounter.TRANSACTIONS, "HEALTH_CHECK_FAILED");
        metrics.increment(GatewayCounter.RENEWAL_ATTEMPTS, "renewed");
        metrics.renewal = status(NOW.plus(Duration.ofDays(20)), RenewalPhase.ESCALATED, 3);
        metrics.writeNow();

        PrometheusExposition p = PrometheusExposition.parse(Files.readString(file));
        assertEquals("counter", p.type("gantry_gateway_polls_total"));
        assertEquals(2.0, p.value("gantry_gateway_polls_total", "result", "ok").orElseThrow());
        assertEquals(1.0, p.value("gantry_gateway_polls_total", "result", "failed").orElseThrow());
        assertEquals(4096.0, p.value("gantry_gateway_download_bytes_total").orElseThrow());
        assertEquals(1.0, p.value("gantry_gateway_verification_failures_total", "code", "BAD_SIGNATURE").orElseThrow());
        assertEquals(1.0, p.value("gantry_gateway_transactions_total", "outcome", "HEALTH_CHECK_FAILED").orElseThrow());
        assertEquals(1.0, p.value("gantry_gateway_renewal_attempts_total", "result", "renewed").orElseThrow());
        assertEquals(20.0, p.value("gantry_gateway_certificate_expiry_days").orElseThrow());
        assertEquals(1.0, p.value("gantry_gateway_renewal_phase", "phase", "ESCALATED").orElseThrow());
        assertEquals(0.0, p.value("gantry_gateway_renewal_phase", "phase", "NORMAL").orElseThrow());
        assertEquals(3.0, p.value("gantry_gateway_renewal_failures_in_row").orElseThrow());
        assertEquals((double) NOW.getEpochSecond(), p.value("gantry_gateway_metrics_written_timestamp_seconds").orElseThrow());
        assertTrue(Files.list(file.getParent()).allMatch(f -> f.equals(file)), "no temporary file left beside it");

        metrics.increment(GatewayCounter.POLLS, "ok");
        metrics.writeNow();
        assertEquals(3.0, PrometheusExposition.parse(Files.readString(file)).value("gantry_gateway_polls_total", "result", "ok")
                .orElseThrow(), "the file is replaced with the new counts");
    }

    @Test
    void labelsAreBoundedWhateverCallersPass() throws Exception {
        TextfileMetrics metrics = new TextfileMetrics(tmp.resolve("m.prom"), Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC));
        for (int i = 0; i < 100; i++) {
            metrics.increment(GatewayCounter.VERIFICATION_FAILURES, "CODE_" + i);
        }
        metrics.increment(GatewayCounter.POLLS, "a\"b\nc");
        metrics.add(GatewayCounter.POLLS, "ok", 0);
        metrics.add(GatewayCounter.POLLS, "ok", -5);
        PrometheusExposition p = PrometheusExposition.parse(metrics.exposition());
        assertEquals(GatewayCounter.MAX_LABELS + 1, p.series("gantry_gateway_verification_failures_total").size(),
                "the first values, then other");
        assertEquals(100.0 - GatewayCounter.MAX_LABELS,
                p.value("gantry_gateway_verification_failures_total", "code", "other").orElseThrow());
        assertEquals(1.0, p.value("gantry_gateway_polls_total", "result", "other").orElseThrow(), "not a word: other");
        assertTrue(p.value("gantry_gateway_polls_total", "result", "ok").isEmpty(), "nothing added for zero or less");
        assertTrue(p.value("gantry_gateway_certificate_expiry_days").isEmpty(), "no renewal bundle, no certificate state");
    }

    private static RenewalStatus status(Instant notAfter, RenewalPhase phase, int failures) {
        return new RenewalStatus() {
            @Override
            public RenewalPhase phase() {
                return phase;
            }

            @Override
            public Instant notAfter() {
                return notAfter;
            }

            @Override
            public Instant nextAttempt() {
                return NOW;
            }

            @Override
            public int failures() {
                return failures;
            }

            @Override
            public Optional<String> lastError() {
                return Optional.empty();
            }
        };
    }
}
