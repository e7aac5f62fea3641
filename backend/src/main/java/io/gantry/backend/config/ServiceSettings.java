package io.gantry.backend.config;

import java.util.Objects;

/**
 * The backend's operational limits beside {@link BackendConfig}: how the CRL/OCSP listener bounds
 * its clients, how often devices may renew over EST, and the plain-HTTP health listener a load
 * balancer probes. Every field has a default ({@link #DEFAULT}) and is a setting of
 * {@code gantry backend} (docs/backend-api.md, "Configuration").
 *
 * @param revocationListener bounds of the plain-HTTP CRL/OCSP listener
 * @param reenrollment EST renewal limit and the replaced certificate's lifecycle
 * @param healthPort TCP port of {@code GET /health} (plain HTTP, same bind address), 0 for an ephemeral
 *     one, -1 for none
 * @param fleetHealth how the fleet-health evaluator judges certificates, renewals, silence and rollouts
 * @param anomalies the anomaly detectors' window and thresholds
 */
public record ServiceSettings(RevocationListenerLimits revocationListener, ReenrollmentPolicy reenrollment, int healthPort,
        FleetHealthSettings fleetHealth, AnomalyThresholds anomalies) {
    /** Default limits and no health listener (the {@code gantry backend} command opens one on 8081 by default). */
    public static final ServiceSettings DEFAULT = new ServiceSettings(RevocationListenerLimits.DEFAULT, ReenrollmentPolicy.DEFAULT, -1);

    /** With the default fleet-health settings and anomaly thresholds. */
    public ServiceSettings(RevocationListenerLimits revocationListener, ReenrollmentPolicy reenrollment, int healthPort) {
        this(revocationListener, reenrollment, healthPort, FleetHealthSettings.DEFAULT, AnomalyThresholds.DEFAULT);
    }

    /** @throws IllegalArgumentException if the health port is out of range */
    public ServiceSettings {
        Objects.requireNonNull(revocationListener, "revocationListener");
        Objects.requireNonNull(reenrollment, "reenrollment");
        Objects.requireNonNull(fleetHealth, "fleetHealth");
        Objects.requireNonNull(anomalies, "anomalies");
        if (healthPort < -1 || healthPort > 65535) {
            throw new IllegalArgumentException("health port must be -1 (none) or 0..65535: " + healthPort);
        }
    }

    /** @return a copy with {@code limits} on the CRL/OCSP listener */
    public ServiceSettings withRevocationListener(RevocationListenerLimits limits) {
        return new ServiceSettings(limits, reenrollment, healthPort, fleetHealth, anomalies);
    }

    /** @return a copy with {@code policy} for EST renewals */
    public ServiceSettings withReenrollment(ReenrollmentPolicy policy) {
        return new ServiceSettings(revocationListener, policy, healthPort, fleetHealth, anomalies);
    }

    /** @return a copy serving {@code GET /health} on {@code port} (-1: none) */
    public ServiceSettings withHealthPort(int port) {
        return new ServiceSettings(revocationListener, reenrollment, port, fleetHealth, anomalies);
    }

    /** @return a copy with {@code settings} for the fleet-health evaluator */
    public ServiceSettings withFleetHealth(FleetHealthSettings settings) {
        return new ServiceSettings(revocationListener, reenrollment, healthPort, settings, anomalies);
    }

    /** @return a copy with {@code thresholds} for the anomaly detectors */
    public ServiceSettings withAnomalies(AnomalyThresholds thresholds) {
        return new ServiceSettings(revocationListener, reenrollment, healthPort, fleetHealth, thresholds);
    }
}
