package io.gantry.backend.rollout;

/**
 * Where a group stands.
 *
 * @param position 0-based order
 * @param name {@code canary} or {@code <percent>%}
 * @param state its state
 * @param total devices in the group
 * @param held devices held (not started), with a reason each
 * @param notStarted devices neither started nor held
 * @param open started devices whose action is still open
 * @param succeeded devices whose action FINISHED
 * @param failed devices whose action ended in ERROR
 * @param canceled devices whose action was cancelled
 */
public record GroupProgress(int position, String name, GroupState state, int total, int held, int notStarted,
        int open, int succeeded, int failed, int canceled) {

    /** @return whether at least {@code threshold}% of the group's devices that are not held succeeded (an empty group has) */
    public boolean reached(int threshold) {
        int eligible = total - held;
        return eligible <= 0 || succeeded * 100L >= (long) threshold * eligible;
    }
}
