package io.gantry.backend.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The anomaly detectors' window and thresholds (docs/operations.md, "Anomaly detectors").
 *
 * @param interval how often the scan runs
 * @param window the recent period each scan judges
 * @param baseline the earlier period (ending where the window starts) that says what is usual
 * @param burstFactor a burst is more than this many times the baseline's rate
 * @param burstMinRequests and at least this many requests in the window (per device; ten times it for the fleet)
 * @param cloneMaxAddresses one certificate from more distinct addresses than this within the window is a clone
 * @param regionPrefixBits network regions are IPv4 prefixes of this length (8..32; IPv6 uses 48)
 * @param regionMinDevices a region absent from the baseline is unusual once this many devices call from it
 * @param campaignMinDevices a release given to this many devices outside any rollout within the window is a campaign
 * @param unassignedMinRequests downloads of a release a device has no action for, before it is an alert
 */
public record AnomalyThresholds(Duration interval, Duration window, Duration baseline, int burstFactor, int burstMinRequests,
        int cloneMaxAddresses, int regionPrefixBits, int regionMinDevices, int campaignMinDevices, int unassignedMinRequests) {
    /** Every 5 minutes over the last hour against the week before; factor 10 and 30 requests; 3 addresses; /16 and 3 devices; 20 devices; 1 download. */
    public static final AnomalyThresholds DEFAULT = new AnomalyThresholds(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofDays(7), 10, 30, 3, 16, 3, 20, 1);

    /** @throws IllegalArgumentException for a value out of range or a baseline not longer than the window */
    public AnomalyThresholds {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(baseline, "baseline");
        if (interval.isNegative() || interval.isZero() || window.isNegative() || window.isZero()
                || baseline.compareTo(window) <= 0) {
            throw new IllegalArgumentException("anomaly interval and window must be positive and the baseline longer than the window");
        }
        if (burstFactor < 2 || burstMinRequests < 1 || cloneMaxAddresses < 1 || regionMinDevices < 1 || campaignMinDevices < 2
                || unassignedMinRequests < 1) {
            throw new IllegalArgumentException("anomaly thresholds out of range (burst factor >= 2, campaign >= 2 devices, others >= 1)");
        }
        if (regionPrefixBits < 8 || regionPrefixBits > 32) {
            throw new IllegalArgumentException("region prefix must be 8..32 bits: " + regionPrefixBits);
        }
    }
}
