package io.gantry.renewal.internal;

import io.gantry.api.renewal.RenewalPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * The renewal schedule as a pure function of time, expiry and failure count. Phases by time left
 * before notAfter: NORMAL above {@code renewBefore}; RENEWING from {@code renewBefore} down to
 * {@code escalateBefore}; ESCALATED below {@code escalateBefore}; EMERGENCY below
 * {@code emergencyBefore}; EXPIRED at or after notAfter.
 *
 * <p>RENEWING and ESCALATED retry with exponential backoff and full jitter: after {@code n}
 * failures the delay is uniform in [0, min(maxBackoff, baseBackoff * 2^(n-1))), which spreads a
 * fleet that failed together. EMERGENCY and EXPIRED retry at the fixed {@code emergencyInterval}.
 */
record RenewalPolicy(Duration renewBefore, Duration escalateBefore, Duration emergencyBefore, Duration baseBackoff,
        Duration maxBackoff, Duration emergencyInterval) {
    static final Duration MIN_RETRY_AFTER = Duration.ofMinutes(1);

    RenewalPolicy {
        if (emergencyBefore.isNegative() || emergencyBefore.isZero() || emergencyBefore.compareTo(escalateBefore) >= 0
                || escalateBefore.compareTo(renewBefore) >= 0) {
            throw new IllegalArgumentException("need 0 < emergencyBefore < escalateBefore < renewBefore, got "
                    + emergencyBefore.toDays() + " / " + escalateBefore.toDays() + " / " + renewBefore.toDays() + " days");
        }
        if (baseBackoff.isNegative() || baseBackoff.isZero() || baseBackoff.compareTo(maxBackoff) > 0
                || emergencyInterval.isNegative() || emergencyInterval.isZero()) {
            throw new IllegalArgumentException("need 0 < baseBackoff <= maxBackoff and emergencyInterval > 0");
        }
    }

    static RenewalPolicy from(RenewalConfig c) {
        return new RenewalPolicy(Duration.ofDays(c.renewBeforeDays()), Duration.ofDays(c.escalateBeforeDays()),
                Duration.ofDays(c.emergencyBeforeDays()), Duration.ofMinutes(c.baseBackoffMinutes()),
                Duration.ofHours(c.maxBackoffHours()), Duration.ofMinutes(c.emergencyIntervalMinutes()));
    }

    RenewalPhase phase(Instant now, Instant notAfter) {
        Duration left = Duration.between(now, notAfter);
        if (left.isNegative() || left.isZero()) {
            return RenewalPhase.EXPIRED;
        }
        if (left.compareTo(emergencyBefore) < 0) {
            return RenewalPhase.EMERGENCY;
        }
        if (left.compareTo(escalateBefore) < 0) {
            return RenewalPhase.ESCALATED;
        }
        return left.compareTo(renewBefore) <= 0 ? RenewalPhase.RENEWING : RenewalPhase.NORMAL;
    }

    /**
     * @param failures failed attempts since the last success; 0 means attempt as soon as due
     * @return the phase and when to act next
     */
    RenewalPlan next(Instant now, Instant notAfter, int failures, Random random) {
        RenewalPhase phase = phase(now, notAfter);
        return switch (phase) {
            case NORMAL -> new RenewalPlan(phase, notAfter.minus(renewBefore));
            case RENEWING, ESCALATED -> new RenewalPlan(phase, failures == 0 ? now : now.plus(jittered(failures, random)));
            case EMERGENCY, EXPIRED -> new RenewalPlan(phase, failures == 0 ? now : now.plus(emergencyInterval));
        };
    }

    /**
     * The EST server asked to come back later (HTTP 202, RFC 7030 §4.2.3): honour its delay, but no
     * longer than this phase would wait after a failure, so a far Retry-After cannot stall renewal,
     * and no sooner than {@link #MIN_RETRY_AFTER}, so a zero or past Retry-After cannot spin.
     */
    RenewalPlan retryLater(Instant now, Instant notAfter, Duration retryAfter) {
        RenewalPhase phase = phase(now, notAfter);
        Duration bound = switch (phase) {
            case EMERGENCY, EXPIRED -> emergencyInterval;
            default -> maxBackoff;
        };
        Duration wait = retryAfter.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER : retryAfter;
        return new RenewalPlan(phase, now.plus(wait.compareTo(bound) > 0 ? bound : wait));
    }

    /** @return the upper bound of the delay after {@code failures} failures (at least one) */
    Duration backoffCeiling(int failures) {
        Duration ceiling = baseBackoff;
        for (int i = 1; i < failures && ceiling.compareTo(maxBackoff) < 0; i++) {
            ceiling = ceiling.multipliedBy(2);
        }
        return ceiling.compareTo(maxBackoff) > 0 ? maxBackoff : ceiling;
    }

    private Duration jittered(int failures, Random random) {
        return Duration.ofMillis((long) (random.nextDouble() * backoffCeiling(failures).toMillis()));
    }
}
