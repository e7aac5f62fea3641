package io.gantry.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.cli.mgmt.ManagementClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Step 5: for each re-signed release (from the journal's resign step), tags the devices still
 * running the release it replaces ({@code incident-<key prefix>-r<old id>}) and creates a rollout
 * of the re-signed release to exactly that tag. Devices that moved on to another release since
 * are left alone (offering them the old line again would be a downgrade).
 */
@RunsOnce
@Command(name = "roll-forward", description = "Roll the re-signed releases out to the devices still running the releases they replace.")
final class RollForwardStep extends KeyStep {
    @Option(names = "--percentages", split = ",", defaultValue = "100",
            description = "cumulative percent after each group, e.g. 10,50,100 (default ${DEFAULT-VALUE})")
    List<Integer> percentages = new ArrayList<>();



    @Override
    Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
        JsonNode resigned = journal.done("resign").orElseThrow(() -> new IllegalStateException(
                "the journal has no finished resign step: run 'incident key-compromise resign' first")).path("data").path("releases");
        JsonNode devices = client.get("incidents/keys/" + key + "/devices");
        ArrayNode rollouts = JSON.createArrayNode();
        for (JsonNode m : resigned) {
            long from = m.path("from").asLong();
            String tag = "incident-" + key.substring(0, 12) + "-r" + from;
            List<String> targets = new ArrayList<>();
            for (JsonNode d : devices) {
                if (d.path("releaseId").asLong() == from && d.path("current").asBoolean()) {
                    targets.add(d.path("controllerId").asText());
                }
            }
            if (targets.isEmpty()) {
                out.println("release " + from + ": no device still runs it, nothing to roll forward");
                continue;
            }
            for (String id : targets) {
                client.tag(id, tag);
            }
            ObjectNode spec = JSON.createObjectNode().put("name", "incident roll-forward " + m.path("name").asText() + " "
                    + m.path("version").asText()).put("releaseId", m.path("to").asLong());
            spec.putObject("filter").putArray("tags").add(tag);
            percentages.forEach(spec.putArray("percentages")::add);
            JsonNode rollout = ResumableCalls.rolloutOf(client, m.path("to").asLong()).orElse(null);
            if (rollout == null) {
                rollout = client.createRollout(spec);
            }
            out.println("rollout " + rollout.path("id").asLong() + ": release " + m.path("to").asLong() + " to " + targets);
            ObjectNode r = rollouts.addObject().put("from", from).put("to", m.path("to").asLong())
                    .put("rolloutId", rollout.path("id").asLong()).put("tag", tag);
            targets.forEach(r.putArray("devices")::add);
        }
        return new Result(rollouts.size() + " roll-forward rollouts", JSON.createObjectNode().set("rollouts", rollouts));
    }
}
