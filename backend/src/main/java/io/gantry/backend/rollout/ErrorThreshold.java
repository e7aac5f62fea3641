package io.gantry.backend.rollout;

/**
 * When a rollout pauses: {@code count} failed devices or more, or {@code percent} of closed actions
 * failed once at least {@code minSample} actions closed. Only failures since the last resume count.
 *
 * @param count absolute number of failures that pauses, 0 for none
 * @param percent share of failures among closed actions that pauses, 0 for none
 * @param minSample closed actions needed before the percentage is judged
 */
public record ErrorThreshold(int count, int percent, int minSample) {
    /** @throws IllegalArgumentException unless exactly one of count and percent is set, all in range */
    public ErrorThreshold {
        if (count < 0 || percent < 0 || percent > 100 || minSample < 0) {
            throw new IllegalArgumentException("errorThreshold: count and minSample must be >= 0, percent 0..100");
        }
        if ((count == 0) == (percent == 0)) {
            throw new IllegalArgumentException("errorThreshold needs exactly one of count (absolute) or percent");
        }
    }

    /**
     * @param failures failures since the last resume
     * @param closed closed actions (succeeded or failed) since the last resume
     * @return whether the rollout must pause
     */
    public boolean crossed(int failures, int closed) {
        if (count > 0) {
            return failures >= count;
        }
        return closed > 0 && closed >= minSample && failures * 100L >= (long) percent * closed;
    }

    /** @return the threshold in words */
    public String describe() {
        return count > 0 ? count + " failures" : percent + "% failures (minimum sample " + minSample + ")";
    }
}
