package io.gantry.backend.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The backend's operational limits beside {@link BackendConfig}: how the CRL/OCSP listener bounds
 * its clients, how often devices may renew over EST, the plain-HTTP health and metrics listeners,
 * and how the fleet-health evaluator and the anomaly detectors judge the fleet. Every field has a
 * default ({@link #DEFAULT}) and is a setting of {@code gantry backend} (docs/backend-api.md,
 * "Configuration").
 *
 * @param revocationListener bounds of the plain-HTTP CRL/OCSP listener
 * @param reenrollment EST renewal limit and the replaced certificate's lifecycle
 * @param healthPort TCP port of {@code GET /health} (plain HTTP, same bind address), 0 for an ephemeral
 *     one, -1 for none
 * @param metricsBind address the {@code GET /metrics} listener binds (loopback by default, docs/metrics.md)
 * @param metricsPort TCP port of {@code GET /metrics} (plain HTTP), 0 for an ephemeral one, -1 for none
 * @param metricsDatabaseMaxAge how long a metric read from the database (certificate expiry, rollout
 *     progress) is served before the next scrape computes it again; zero: at every scrape
 * @param fleetHealth how the fleet-health evaluator judges certificates, renewals, silence and rollouts
 * @param anomalies the anomaly detectors' window and thresholds
 * @param httpThreads most threads of the HTTPS listener (device and management APIs, EST); each request
 *     in progress holds one, a download served by the backend for as long as it lasts
 */
public record ServiceSettings(RevocationListenerLimits revocationListener, ReenrollmentPolicy reenrollment, int healthPort,
        String metricsBind, int metricsPort, Duration metricsDatabaseMaxAge, FleetHealthSettings fleetHealth,
        AnomalyThresholds anomalies, int httpThreads) {
    /**
     * Default of {@link #httpThreads}: enough for a two-core machine under check-in load (the CPU is
     * saturated with a dozen requests in progress) with room for downloads served by the backend;
     * each thread costs resident memory (its stack and per-thread buffers; docs/benchmarks.md).
     */
    public static final int DEFAULT_HTTP_THREADS = 32;
    /** Fewest {@link #httpThreads}: the listener's acceptor and selector hold two, requests need the rest. */
    public static final int MIN_HTTP_THREADS = 8;
    /** Loopback: where the metrics listener binds unless the operator names another address. */
    public static final String LOOPBACK = "127.0.0.1";
    /** Default of {@link #metricsDatabaseMaxAge}: a scrape every 15 s computes the database metrics every other time. */
    public static final Duration DEFAULT_METRICS_DATABASE_MAX_AGE = Duration.ofSeconds(30);
    /**
     * Default limits, no health and no metrics listener (the {@code gantry backend} command opens
     * health on 8081 by default; metrics only when {@code metrics-port} is set).
     */
    public static final ServiceSettings DEFAULT = new ServiceSettings(RevocationListenerLimits.DEFAULT, ReenrollmentPolicy.DEFAULT, -1);

    /** @throws IllegalArgumentException if a port is out of range or the metrics address is blank */
    public ServiceSettings {
        Objects.requireNonNull(revocationListener, "revocationListener");
        Objects.requireNonNull(reenrollment, "reenrollment");
        Objects.requireNonNull(fleetHealth, "fleetHealth");
        Objects.requireNonNull(anomalies, "anomalies");
        if (healthPort < -1 || healthPort > 65535) {
            throw new IllegalArgumentException("health port must be -1 (none) or 0..65535: " + healthPort);
        }
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("metrics port must be -1 (none) or 0..65535: " + metricsPort);
        }
        if (metricsDatabaseMaxAge == null || metricsDatabaseMaxAge.isNegative()) {
            throw new IllegalArgumentException("metrics database max age must be zero or positive: " + metricsDatabaseMaxAge);
        }
        if (metricsBind == null || metricsBind.isBlank()) {
            throw new IllegalArgumentException("metrics bind address must not be blank");
        }
        if (httpThreads < MIN_HTTP_THREADS || httpThreads > 10_000) {
            throw new IllegalArgumentException("http threads must be " + MIN_HTTP_THREADS + "..10000: " + httpThreads);
        }
    }

    /** Without a metrics listener, with the default fleet-health settings and anomaly thresholds. */
    public ServiceSettings(RevocationListenerLimits revocationListener, ReenrollmentPolicy reenrollment, int healthPort) {
        this(revocationListener, reenrollment, healthPort, LOOPBACK, -1, DEFAULT_METRICS_DATABASE_MAX_AGE,
                FleetHealthSettings.DEFAULT, AnomalyThresholds.DEFAULT, DEFAULT_HTTP_THREADS);
    }

    /** @return a copy with {@code limits} on the CRL/OCSP listener */
    public ServiceSettings withRevocationListener(RevocationListenerLimits limits) {
        return new ServiceSettings(limits, reenrollment, healthPort, metricsBind, metricsPort, metricsDatabaseMaxAge,
                fleetHealth, anomalies, httpThreads);
    }

    /** @return a copy with {@code policy} for EST renewals */
    public ServiceSettings withReenrollment(ReenrollmentPolicy policy) {
        return new ServiceSettings(revocationListener, policy, healthPort, metricsBind, metricsPort, metricsDatabaseMaxAge,
                fleetHealth, anomalies, httpThreads);
    }

    /** @return a copy serving {@code GET /health} on {@code port} (-1: none) */
    public ServiceSettings withHealthPort(int port) {
        return new ServiceSettings(revocationListener, reenrollment, port, metricsBind, metricsPort, metricsDatabaseMaxAge,
                fleetHealth, anomalies, httpThreads);
    }

    /**
     * @return a copy serving {@code GET /metrics} on {@code host:port} (-1: none), database metrics
     *     computed at most once per {@code databaseMaxAge}
     */
    public ServiceSettings withMetrics(String host, int port, Duration databaseMaxAge) {
        return new ServiceSettings(revocationListener, reenrollment, healthPort, host, port, databaseMaxAge,
                fleetHealth, anomalies, httpThreads);
    }

    /** @return a copy with {@code settings} for the fleet-health evaluator */
    public ServiceSettings withFleetHealth(FleetHealthSettings settings) {
        return new ServiceSettings(revocationListener, reenrollment, healthPort, metricsBind, metricsPort, metricsDatabaseMaxAge,
                settings, anomalies, httpThreads);
    }

    /** @return a copy with {@code thresholds} for the anomaly detectors */
    public ServiceSettings withAnomalies(AnomalyThresholds thresholds) {
        return new ServiceSettings(revocationListener, reenrollment, healthPort, metricsBind, metricsPort, metricsDatabaseMaxAge,
                fleetHealth, thresholds, httpThreads);
    }

    /** @return a copy whose HTTPS listener runs at most {@code threads} threads */
    public ServiceSettings withHttpThreads(int threads) {
        return new ServiceSettings(revocationListener, reenrollment, healthPort, metricsBind, metricsPort, metricsDatabaseMaxAge,
                fleetHealth, anomalies, threads);
    }
}
