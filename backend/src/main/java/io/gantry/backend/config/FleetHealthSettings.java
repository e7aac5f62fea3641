package io.gantry.backend.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the fleet-health evaluator judges the fleet (docs/operations.md, "Fleet health").
 *
 * @param interval how often it runs
 * @param expiryDays days before a certificate's {@code notAfter} at which it raises, then escalates,
 *     an expiry alert: strictly decreasing, e.g. 90, 30, 7 (INFO, WARNING, then CRITICAL for the last)
 * @param silentPolls a device is silent once it has not polled for this many polling intervals
 * @param renewalOverdue a device whose certificate has been inside its renewal window (the first of
 *     {@code expiryDays}) this long, and which still calls with it, is failing to renew
 */
public record FleetHealthSettings(Duration interval, List<Integer> expiryDays, int silentPolls, Duration renewalOverdue) {
    /** Every minute; 90, 30, 7 days; 12 polls; 14 days. */
    public static final FleetHealthSettings DEFAULT = new FleetHealthSettings(Duration.ofMinutes(1), List.of(90, 30, 7), 12,
            Duration.ofDays(14));

    /** @throws IllegalArgumentException for a non-positive interval or count, or days not strictly decreasing */
    public FleetHealthSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(renewalOverdue, "renewalOverdue");
        expiryDays = List.copyOf(expiryDays);
        if (interval.isNegative() || interval.isZero() || silentPolls < 1 || renewalOverdue.isNegative()) {
            throw new IllegalArgumentException("fleet health interval, silent polls and renewal overdue must be positive");
        }
        if (expiryDays.isEmpty() || expiryDays.size() > 3) {
            throw new IllegalArgumentException("certificate expiry warnings: one to three day counts, e.g. 90,30,7");
        }
        for (int i = 0; i < expiryDays.size(); i++) {
            if (expiryDays.get(i) < 1 || (i > 0 && expiryDays.get(i) >= expiryDays.get(i - 1))) {
                throw new IllegalArgumentException("certificate expiry warning days must be positive and strictly decreasing: "
                        + expiryDays);
            }
        }
    }
}
