package io.gantry.backend.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a device may renew its certificate over EST ({@code simplereenroll}) and when the
 * certificate a renewal replaces stops working. A device that asks more than {@code maxPerWindow}
 * times within {@code window} gets {@code 429 REENROLL_LIMIT} with {@code Retry-After}; the
 * renewals are counted in the database, so the limit holds across restarts and nodes. The replaced
 * certificate is revoked with reason {@code superseded} as soon as the new one is first used on
 * the mutual-TLS port, and at the latest {@code supersededGrace} after the renewal, whether the
 * device switched or not; until then it keeps working, so a device whose answer was lost can ask again.
 *
 * @param maxPerWindow renewals per device per window
 * @param window the counting period
 * @param supersededGrace how long the replaced certificate stays GOOD when the new one is not used
 */
public record ReenrollmentPolicy(int maxPerWindow, Duration window, Duration supersededGrace) {
    /** Three renewals per device per 24 hours; the replaced certificate is revoked within 24 hours. */
    public static final ReenrollmentPolicy DEFAULT = new ReenrollmentPolicy(3, Duration.ofHours(24), Duration.ofHours(24));

    /** @throws IllegalArgumentException if a value is out of range */
    public ReenrollmentPolicy {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(supersededGrace, "supersededGrace");
        if (maxPerWindow < 1 || maxPerWindow > 1000) {
            throw new IllegalArgumentException("re-enrollments per window must be 1..1000: " + maxPerWindow);
        }
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(366)) > 0) {
            throw new IllegalArgumentException("re-enrollment window must be 1 minute..366 days: " + window);
        }
        if (supersededGrace.isNegative() || supersededGrace.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("superseded-certificate grace must be 0..30 days: " + supersededGrace);
        }
    }
}
