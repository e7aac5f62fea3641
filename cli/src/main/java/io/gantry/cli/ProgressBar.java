package io.gantry.cli;

/**
 * A one-line text progress bar for a rollout: {@code #} succeeded, {@code x} failed, {@code >} open,
 * {@code .} not yet done, then the counts. Pure function of its inputs, so the same state always
 * draws the same line.
 */
final class ProgressBar {
    private ProgressBar() {
    }

    /**
     * @param width bar characters between the brackets (at least 1)
     * @return e.g. {@code [######xx>>>>..........] 8/20 done: 6 succeeded, 2 failed, 4 open}
     */
    static String render(int succeeded, int failed, int open, int total, int width) {
        StringBuilder bar = new StringBuilder("[");
        int s = cells(succeeded, total, width);
        int f = Math.min(width - s, cells(failed, total, width));
        int o = Math.min(width - s - f, cells(open, total, width));
        bar.append("#".repeat(s)).append("x".repeat(f)).append(">".repeat(o)).append(".".repeat(width - s - f - o)).append("] ");
        return bar.toString() + (succeeded + failed) + "/" + total + " done: " + succeeded + " succeeded, " + failed + " failed, "
                + open + " open";
    }

    private static int cells(int count, int total, int width) {
        return total <= 0 ? 0 : (int) ((long) count * width / total);
    }
}
