package io.gantry.backend.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A rollout as the management API shows it.
 *
 * @param id its id
 * @param name its label
 * @param releaseId the release it sends
 * @param state its state
 * @param pauseReason why it is paused, or {@code null}
 * @param spec the request it was created with
 * @param groups per-group progress (empty until planned)
 * @param held held devices and why
 * @param createdAt creation time (ISO-8601 UTC)
 * @param updatedAt last state change (ISO-8601 UTC)
 */
public record RolloutView(long id, String name, long releaseId, RolloutState state, String pauseReason, JsonNode spec,
        List<GroupProgress> groups, Map<String, String> held, String createdAt, String updatedAt) {

    static RolloutView of(RolloutRow r, List<GroupProgress> groups, Map<String, String> held) {
        return new RolloutView(r.id(), r.spec().name(), r.spec().releaseId(), r.state(), r.pauseReason(),
                RolloutSpecJson.toJson(r.spec()), groups, held, r.createdAt().toString(), r.updatedAt().toString());
    }

    /**
     * The dry run's answer: who would be targeted now, by group, and who would be held.
     *
     * @param targeted devices the filter selects
     * @param groups each group's devices
     * @param held devices that would be held, and why
     */
    public record DryRun(int targeted, List<DryRunGroup> groups, Map<String, String> held) {
    }

    /**
     * A group in a dry run.
     *
     * @param name {@code canary} or {@code <percent>%}
     * @param members its devices (held ones included)
     */
    public record DryRunGroup(String name, List<String> members) {
    }
}
