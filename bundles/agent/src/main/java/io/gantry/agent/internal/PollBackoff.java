package io.gantry.agent.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long the agent waits after failed polls: the normal interval after a success; after n
 * failures in a row a random time between the normal interval and the normal interval times 2^n,
 * capped at {@link #MAX} (exponential backoff with jitter), so a fleet that lost its backend does
 * not come back in lockstep and an unreachable backend is not hammered.
 */
final class PollBackoff {
    /** The longest wait between two attempts, whatever the number of failures. */
    static final Duration MAX = Duration.ofMinutes(15);
    private final RandomGenerator random;

    PollBackoff(RandomGenerator random) {
        this.random = random;
    }

    /** @return the wait before the next poll after {@code failures} failed polls in a row */
    Duration next(int failures, Duration normal) {
        if (failures <= 0) {
            return normal;
        }
        long base = Math.max(1, normal.toMillis());
        long ceiling = failures >= 30 ? MAX.toMillis() : Math.min(MAX.toMillis(), base << Math.min(failures, 30));
        if (ceiling <= base) {
            return Duration.ofMillis(Math.min(base, MAX.toMillis()));
        }
        return Duration.ofMillis(base + random.nextLong(ceiling - base + 1));
    }
}
