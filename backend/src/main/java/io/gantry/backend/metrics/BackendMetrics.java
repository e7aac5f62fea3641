package io.gantry.backend.metrics;

import io.gantry.api.failure.FailureCode;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;

/**
 * The backend's metrics registry and its event counters (docs/metrics.md lists each one). Every
 * counter call is an in-memory increment (a striped adder behind a map lookup of at most a few
 * dozen label values), never database work: the poll and download paths pay nothing more.
 *
 * <p>Labels are bounded by construction: results are fixed words, codes are names of the failure
 * code enums; no label ever carries a device id, a subject or an address.
 *
 * <p>Other packages add their own metrics with {@link #register(MultiCollector)} or by building a
 * metric on {@link #registry()} (e.g. operator alerts sent, by code); names start with
 * {@code gantry_}.
 */
public final class BackendMetrics {
    /** Results of a device poll (check-in). */
    public enum PollResult {
        /** Nothing to do. */
        IDLE,
        /** The answer links a deployment. */
        DEPLOYMENT,
        /** The answer links a cancellation. */
        CANCEL,
        /** The poll failed on the server (database error). */
        FAILED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How an artifact transfer that got a body ended. */
    public enum DownloadResult {
        /** Every byte asked for was sent. */
        COMPLETE,
        /** The transfer broke off. */
        ABORTED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final CounterDataPoint[] polls;
    private final CounterDataPoint[] downloads;
    private final CounterDataPoint downloadBytes;
    private final Counter downloadRefusals;
    private final Counter releaseRejections;
    private final Counter handshakeFailures;
    private final Counter mqttRefusals;
    private final Counter estRequests;
    private final Counter estRefusals;
    private final Counter mqttPublishes;
    private final Counter revocations;
    private final Counter securityEvents;

    /** A registry with every counter at zero. */
    public BackendMetrics() {
        Counter pollCounter = counter("gantry_device_polls", "Device polls (check-ins) answered, by result.", "result");
        polls = new CounterDataPoint[PollResult.values().length];
        for (PollResult r : PollResult.values()) {
            polls[r.ordinal()] = pollCounter.labelValues(r.label());
        }
        Counter downloadCounter = counter("gantry_artifact_downloads",
                "Artifact transfers with a body served by the backend, by how they ended.", "result");
        downloads = new CounterDataPoint[DownloadResult.values().length];
        for (DownloadResult r : DownloadResult.values()) {
            downloads[r.ordinal()] = downloadCounter.labelValues(r.label());
        }
        downloadBytes = counter("gantry_artifact_download_bytes", "Artifact bytes that left the backend (bodies, as sent).");
        downloadRefusals = counter("gantry_artifact_download_refusals",
                "Artifact requests refused, by failure code (DOWNLOAD_LIMIT and DOWNLOAD_REPEATED are the rate limits).", "code");
        releaseRejections = counter("gantry_release_rejections",
                "Releases refused: uploads the backend's verification refused (source=upload) and devices' reported "
                        + "verification failures (source=device), by failure code.", "source", "code");
        handshakeFailures = counter("gantry_tls_handshake_failures",
                "Failed TLS handshakes on the mutual-TLS port, by code (TLS_HANDSHAKE_FAILED, or the certificate check's refusal).",
                "code");
        mqttRefusals = counter("gantry_mqtt_connects_refused", "MQTT connections the embedded broker refused, by code.", "code");
        mqttPublishes = counter("gantry_mqtt_external_publishes",
                "Commands and alerts the backend published to an external MQTT broker, by result (published, refused, failed, not_connected).",
                "result");
        estRequests = counter("gantry_est_requests", "EST enrollments (simpleenroll) and renewals (simplereenroll), by result.",
                "operation", "result");
        estRefusals = counter("gantry_est_refusals", "EST requests refused, by code (REENROLL_LIMIT is the rate limit).", "code");
        revocations = counter("gantry_certificates_revoked",
                "Certificates revoked by this backend, by RFC 5280 reason (superseded: replaced by an EST renewal).", "reason");
        securityEvents = counter("gantry_security_events", "Security events recorded, by code (docs/failure-codes.md).", "code");
        for (String op : new String[] {"simpleenroll", "simplereenroll"}) {
            for (String result : new String[] {"issued", "refused"}) {
                estRequests.initLabelValues(op, result);
            }
        }
    }

    private Counter counter(String name, String help, String... labels) {
        Counter.Builder b = Counter.builder().name(name).help(help).withoutExemplars();
        if (labels.length > 0) {
            b.labelNames(labels);
        }
        return b.register(registry);
    }

    /** @return the registry {@link MetricsListener} exposes */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** Adds metrics computed at scrape time (e.g. from the database); names start with {@code gantry_}. */
    public void register(MultiCollector collector) {
        registry.register(Objects.requireNonNull(collector, "collector"));
    }

    /** Counts one answered poll. */
    public void polled(PollResult result) {
        polls[result.ordinal()].inc();
    }

    /** Counts one artifact transfer that ended and the bytes it sent. */
    public void downloaded(DownloadResult result, long bytes) {
        downloads[result.ordinal()].inc();
        if (bytes > 0) {
            downloadBytes.inc(bytes);
        }
    }

    /** Counts one refused artifact request. */
    public void downloadRefused(FailureCode code) {
        downloadRefusals.labelValues(code.name()).inc();
    }

    /** Counts one refused upload (source {@code upload}) or one device-reported rejection (source {@code device}). */
    public void releaseRejected(String source, FailureCode code) {
        releaseRejections.labelValues(source, code.name()).inc();
    }

    /** Counts one failed TLS handshake. */
    public void handshakeFailed(FailureCode code) {
        handshakeFailures.labelValues(code.name()).inc();
    }

    /** Counts one refused MQTT connection. */
    public void mqttConnectRefused(FailureCode code) {
        mqttRefusals.labelValues(code.name()).inc();
    }

    /** Counts one publish to the external MQTT broker: {@code published}, {@code failed} or {@code not_connected}. */
    public void mqttPublished(String result) {
        mqttPublishes.labelValues(result).inc();
    }

    /** Counts one EST certificate issued by {@code operation} ({@code simpleenroll} or {@code simplereenroll}). */
    public void estIssued(String operation) {
        estRequests.labelValues(operation, "issued").inc();
    }

    /** Counts one refused EST request. */
    public void estRefused(String operation, FailureCode code) {
        estRequests.labelValues(operation, "refused").inc();
        estRefusals.labelValues(code.name()).inc();
    }

    /** Counts {@code n} certificates revoked with {@code reason} (an RFC 5280 reason name). */
    public void revoked(String reason, int n) {
        if (n > 0) {
            revocations.labelValues(reason).inc(n);
        }
    }

    /** Counts one security event recorded. */
    public void securityEvent(FailureCode code) {
        securityEvents.labelValues(code.name()).inc();
    }
}
