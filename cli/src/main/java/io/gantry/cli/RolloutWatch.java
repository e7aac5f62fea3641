package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.cli.mgmt.ManagementClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gantry rollouts watch <id>}: follows a rollout with a progress bar until it finishes, is
 * cancelled or pauses (a paused rollout waits for a person). On a terminal the bar redraws in
 * place; otherwise each change is one line. With {@code --json}, each change is one JSON line.
 * Exit 0 when FINISHED, 1 when CANCELED or PAUSED.
 */
@Command(name = "watch", description = "Follow a rollout with a progress bar until it finishes, pauses or is cancelled.")
final class RolloutWatch implements Callable<Integer> {
    private static final Set<String> STOP = Set.of("FINISHED", "CANCELED", "PAUSED");
    @Mixin
    OperatorConnection connection = new OperatorConnection();
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", description = "rollout id")
    long id;
    @Option(names = "--interval", defaultValue = "PT2S", description = "time between polls, ISO-8601 (default ${DEFAULT-VALUE})")
    Duration interval;
    @Option(names = "--width", defaultValue = "40", description = "bar width in characters (default ${DEFAULT-VALUE})")
    int width;

    @Override
    public Integer call() throws Exception {
        ManagementClient client = connection.client();
        // System.out, like the other commands: scripts and tests read one stream.
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true);
        boolean inPlace = System.console() != null && !connection.json;
        String last = null;
        while (true) {
            JsonNode r = client.rollout(id);
            String state = r.path("state").asText();
            String line = connection.json ? r.toString() : line(r, Math.max(1, width));
            if (!line.equals(last)) {
                out.print(inPlace ? "\r" + line : line + System.lineSeparator());
                out.flush();
                last = line;
            }
            if (STOP.contains(state)) {
                if (inPlace) {
                    out.println();
                }
                if (!connection.json && r.path("pauseReason").isTextual()) {
                    out.println("paused: " + OperatorTables.clean(r.path("pauseReason").asText()));
                }
                out.flush();
                return state.equals("FINISHED") ? 0 : 1;
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /** @return the bar of the rollout's totals over all groups, then its state */
    static String line(JsonNode r, int width) {
        int succeeded = 0;
        int failed = 0;
        int open = 0;
        int total = 0;
        for (JsonNode g : r.path("groups")) {
            succeeded += g.path("succeeded").asInt();
            failed += g.path("failed").asInt();
            open += g.path("open").asInt();
            total += g.path("total").asInt() - g.path("held").asInt();
        }
        return "rollout " + r.path("id").asLong() + " " + ProgressBar.render(succeeded, failed, open, total, width) + "  "
                + r.path("state").asText();
    }
}
