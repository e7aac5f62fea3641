package io.gantry.renewal.internal;

import static io.gantry.api.renewal.RenewalPhase.EMERGENCY;
import static io.gantry.api.renewal.RenewalPhase.ESCALATED;
import static io.gantry.api.renewal.RenewalPhase.EXPIRED;
import static io.gantry.api.renewal.RenewalPhase.NORMAL;
import static io.gantry.api.renewal.RenewalPhase.RENEWING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.renewal.RenewalPhase;
import io.gantry.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The schedule as a pure function: phase boundaries, backoff growth, cap, jitter bounds, emergency interval. */
class RenewalPolicyTest {
    private static final Instant NOT_AFTER = Instant.parse("2031-06-01T00:00:00Z");
    private static final Duration MS = Duration.ofMillis(1);
    private final RenewalPolicy policy = RenewalPolicy.from(
            TestConfigs.of(RenewalConfig.class).with("backendUrl", "https://backend.invalid").build());

    private RenewalPhase phaseAt(Duration left) {
        return policy.phase(NOT_AFTER.minus(left), NOT_AFTER);
    }

    @Test
    void phaseBoundariesFollowTheConfiguredDays() {
        assertEquals(NORMAL, phaseAt(Duration.ofDays(90).plus(MS)));
        assertEquals(RENEWING, phaseAt(Duration.ofDays(90)));
        assertEquals(RENEWING, phaseAt(Duration.ofDays(30)));
        assertEquals(ESCALATED, phaseAt(Duration.ofDays(30).minus(MS)));
        assertEquals(ESCALATED, phaseAt(Duration.ofDays(7)));
        assertEquals(EMERGENCY, phaseAt(Duration.ofDays(7).minus(MS)));
        assertEquals(EMERGENCY, phaseAt(MS));
        assertEquals(EXPIRED, phaseAt(Duration.ZERO));
        assertEquals(EXPIRED, phaseAt(Duration.ofDays(-3)));
    }

    @Test
    void normalPhaseWaitsUntilTheWindowOpens() {
        Instant now = NOT_AFTER.minus(Duration.ofDays(400));
        RenewalPlan plan = policy.next(now, NOT_AFTER, 0, new Random(1));
        assertEquals(new RenewalPlan(NORMAL, NOT_AFTER.minus(Duration.ofDays(90))), plan);
        assertEquals(RENEWING, policy.phase(plan.at(), NOT_AFTER), "the planned check lands inside the window");
    }

    @Test
    void firstAttemptInEveryActivePhaseIsImmediate() {
        for (Duration left : new Duration[] {Duration.ofDays(60), Duration.ofDays(20), Duration.ofDays(2), Duration.ofDays(-1)}) {
            Instant now = NOT_AFTER.minus(left);
            assertEquals(now, policy.next(now, NOT_AFTER, 0, new Random(2)).at(), left.toString());
        }
    }

    @Test
    void backoffCeilingDoublesFromBaseUpToTheCap() {
        assertEquals(Duration.ofMinutes(15), policy.backoffCeiling(1));
        assertEquals(Duration.ofMinutes(30), policy.backoffCeiling(2));
        assertEquals(Duration.ofMinutes(60), policy.backoffCeiling(3));
        assertEquals(Duration.ofMinutes(15 * 64), policy.backoffCeiling(7));
        assertEquals(Duration.ofHours(24), policy.backoffCeiling(8), "15 min * 128 exceeds 24 h");
        assertEquals(Duration.ofHours(24), policy.backoffCeiling(1_000_000), "no overflow for huge counts");
    }

    @Test
    void fullJitterStaysWithinZeroAndTheCeilingAndSpreads() {
        Random random = new Random(42);
        for (RenewalPhase phase : new RenewalPhase[] {RENEWING, ESCALATED}) {
            Instant now = NOT_AFTER.minus(phase == RENEWING ? Duration.ofDays(60) : Duration.ofDays(20));
            for (int failures = 1; failures <= 12; failures++) {
                Duration min = Duration.ofDays(1);
                Duration max = Duration.ZERO;
                for (int i = 0; i < 500; i++) {
                    RenewalPlan plan = policy.next(now, NOT_AFTER, failures, random);
                    assertEquals(phase, plan.phase());
                    Duration d = Duration.between(now, plan.at());
                    assertTrue(!d.isNegative() && d.compareTo(policy.backoffCeiling(failures)) < 0, failures + ": " + d);
                    min = d.compareTo(min) < 0 ? d : min;
                    max = d.compareTo(max) > 0 ? d : max;
                }
                Duration ceiling = policy.backoffCeiling(failures);
                assertTrue(min.compareTo(ceiling.dividedBy(10)) < 0 && max.compareTo(ceiling.multipliedBy(9).dividedBy(10)) > 0,
                        "jitter covers the whole range for " + failures + " failures: " + min + " .. " + max);
            }
        }
    }

    @Test
    void emergencyAndExpiredRetryAtTheFixedShortInterval() {
        for (Duration left : new Duration[] {Duration.ofDays(6), Duration.ofHours(1), Duration.ofDays(-10)}) {
            Instant now = NOT_AFTER.minus(left);
            for (int failures = 1; failures < 50; failures += 7) {
                assertEquals(now.plus(Duration.ofMinutes(10)), policy.next(now, NOT_AFTER, failures, new Random(3)).at());
            }
        }
    }

    @Test
    void retryAfterIsHonouredWithinBounds() {
        Instant renewing = NOT_AFTER.minus(Duration.ofDays(60));
        assertEquals(renewing.plusSeconds(120), policy.retryLater(renewing, NOT_AFTER, Duration.ofSeconds(120)).at());
        assertEquals(renewing.plus(Duration.ofHours(24)), policy.retryLater(renewing, NOT_AFTER, Duration.ofDays(30)).at());
        assertEquals(renewing.plus(RenewalPolicy.MIN_RETRY_AFTER), policy.retryLater(renewing, NOT_AFTER, Duration.ZERO).at());
        Instant emergency = NOT_AFTER.minus(Duration.ofDays(1));
        assertEquals(emergency.plus(Duration.ofMinutes(10)), policy.retryLater(emergency, NOT_AFTER, Duration.ofHours(5)).at());
    }

    @Test
    void inconsistentThresholdsRefuseToActivate() {
        assertThrows(IllegalArgumentException.class, () -> RenewalPolicy.from(
                TestConfigs.of(RenewalConfig.class).with("backendUrl", "https://b.invalid", "escalateBeforeDays", 120).build()));
        assertThrows(IllegalArgumentException.class, () -> RenewalPolicy.from(
                TestConfigs.of(RenewalConfig.class).with("backendUrl", "https://b.invalid", "emergencyBeforeDays", 30).build()));
        assertThrows(IllegalArgumentException.class, () -> RenewalPolicy.from(
                TestConfigs.of(RenewalConfig.class).with("backendUrl", "https://b.invalid", "baseBackoffMinutes", 60 * 25).build()));
    }
}
