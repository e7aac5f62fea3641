package io.gantry.backend.rollout;

import java.time.Instant;

/**
 * A stored rollout.
 *
 * @param id its id
 * @param spec what was asked for
 * @param state its state
 * @param pauseReason why it is paused, or {@code null}
 * @param failuresBaseline failures already counted when it was last resumed
 * @param closedBaseline closed actions already counted when it was last resumed
 * @param createdAt creation time
 * @param updatedAt last state change
 */
public record RolloutRow(long id, RolloutSpec spec, RolloutState state, String pauseReason, int failuresBaseline,
        int closedBaseline, Instant createdAt, Instant updatedAt) {
}
