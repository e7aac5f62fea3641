package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PollBackoffTest {
    private final PollBackoff backoff = new PollBackoff(new Random(42));
    private final Duration normal = Duration.ofSeconds(10);

    @Test
    void noFailureMeansTheNormalInterval() {
        assertEquals(normal, backoff.next(0, normal));
    }

    @Test
    void waitsGrowWithFailuresWithinTheirBoundsAndNeverPastTheCap() {
        for (int failures = 1; failures <= 40; failures++) {
            long ceiling = Math.min(PollBackoff.MAX.toMillis(), normal.toMillis() << Math.min(failures, 30));
            for (int i = 0; i < 50; i++) {
                long wait = backoff.next(failures, normal).toMillis();
                assertTrue(wait >= normal.toMillis() && wait <= ceiling, failures + " failures: " + wait + " ms");
            }
        }
        assertTrue(backoff.next(1000, normal).compareTo(PollBackoff.MAX) <= 0);
    }

    @Test
    void gatewaysThatFailedTogetherDoNotRetryInLockstep() {
        Set<Long> waits = new HashSet<>();
        for (int gateway = 0; gateway < 20; gateway++) {
            waits.add(new PollBackoff(new Random(gateway)).next(5, normal).toMillis());
        }
        assertTrue(waits.size() > 15, "jittered: " + waits);
    }
}
