package io.gantry.backend.rollout;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the targeted devices into groups: first {@code canary} devices, then each percentage is
 * the cumulative share of all targeted devices covered once that group is done (rounded up), so
 * {@code canary 1, percentages [50, 100]} over 10 devices gives groups of 1, 4 and 5. Devices
 * beyond the last percentage are not targeted. Pure: the order of {@code targets} decides.
 */
public final class RolloutPlanner {
    private RolloutPlanner() {
    }

    /**
     * A planned group.
     *
     * @param name {@code canary} or {@code <percent>%}
     * @param members its devices
     */
    public record PlannedGroup(String name, List<String> members) {
        /** Copies the list. */
        public PlannedGroup {
            members = List.copyOf(members);
        }
    }

    /** @return the groups, in order; every group of the spec is present, possibly empty */
    public static List<PlannedGroup> plan(RolloutSpec spec, List<String> targets) {
        List<PlannedGroup> groups = new ArrayList<>();
        int total = targets.size();
        int covered = 0;
        if (spec.canary() > 0) {
            covered = Math.min(spec.canary(), total);
            groups.add(new PlannedGroup("canary", targets.subList(0, covered)));
        }
        for (int p : spec.percentages()) {
            int upTo = Math.max(covered, (int) Math.min(total, (total * (long) p + 99) / 100));
            groups.add(new PlannedGroup(p + "%", targets.subList(covered, upTo)));
            covered = upTo;
        }
        return groups;
    }

    /** @return the position of the group late joiners go to: the last one */
    public static int lateJoinerGroup(RolloutSpec spec) {
        return (spec.canary() > 0 ? 1 : 0) + spec.percentages().size() - 1;
    }
}
