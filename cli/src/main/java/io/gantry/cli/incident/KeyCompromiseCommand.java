package io.gantry.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gantry.cli.mgmt.ManagementClient;
import java.io.PrintStream;
import picocli.CommandLine.Command;

/**
 * {@code gantry incident key-compromise}: freeze, publish-trust-root, affected-devices, resign,
 * roll-forward, report (and unfreeze, prepare-trust-root), in that order (docs/incident-playbook.md).
 */
@Command(name = "key-compromise", description = "The playbook for a compromised release-signing key, step by step"
        + " (docs/incident-playbook.md).",
        subcommands = {KeyCompromiseCommand.Freeze.class, KeyCompromiseCommand.Unfreeze.class, PrepareTrustRootStep.class,
            PublishTrustRootStep.class, KeyCompromiseCommand.AffectedDevices.class, ResignStep.class, RollForwardStep.class,
            KeyCompromiseReport.class})
final class KeyCompromiseCommand {
    private KeyCompromiseCommand() {
    }

    /** Step 1: pause every running rollout of a release the key signed (reversible: unfreeze). */
    @Command(name = "freeze", description = "Pause every running rollout of a release carrying a signature by the key.")
    static final class Freeze extends KeyStep {
        @Override
        Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
            JsonNode r = client.post("incidents/keys/" + key + "/freeze", null, 200);
            for (JsonNode id : r.path("notStarted")) {
                out.println("  rollout " + id.asLong() + " is not started yet: run freeze again once it runs, or cancel it");
            }
            return new Result("paused rollouts " + r.path("changed") + ", not started " + r.path("notStarted")
                    + ", left as they were " + r.path("unchanged"), r);
        }
    }

    /** Undoes freeze: resumes the rollouts it paused that are still paused. */
    @Command(name = "unfreeze", description = "Resume the rollouts the freeze paused (undo of freeze).")
    static final class Unfreeze extends KeyStep {
        @Override
        Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
            JsonNode r = client.post("incidents/keys/" + key + "/unfreeze", null, 200);
            journal.append("freeze", "undone", "unfreeze resumed " + r.path("changed"), r);
            return new Result("resumed rollouts " + r.path("changed"), r);
        }
    }

    /** Step 3: every device that installed a release the key signed, from the backend's action history. */
    @Command(name = "affected-devices", description = "List every device that installed a release the key signed.")
    static final class AffectedDevices extends KeyStep {
        @Override
        Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
            JsonNode releases = client.get("incidents/keys/" + key + "/releases");
            JsonNode devices = client.get("incidents/keys/" + key + "/devices");
            for (JsonNode r : releases) {
                out.printf("release %d %s %s (%s)%s%n", r.path("id").asLong(), r.path("name").asText(), r.path("version").asText(),
                        r.path("kind").asText(), r.path("withdrawnCode").isTextual()
                                ? " withdrawn: " + r.path("withdrawnCode").asText() : "");
            }
            for (JsonNode d : devices) {
                out.printf("device %s installed %s %s (release %d, action %d) at %s%s%n", d.path("controllerId").asText(),
                        d.path("name").asText(), d.path("version").asText(), d.path("releaseId").asLong(),
                        d.path("actionId").asLong(), d.path("installedAt").asText(), d.path("current").asBoolean()
                                ? ", still running it" : ", since updated");
            }
            ArrayNode data = JSON.createArrayNode();
            data.addAll((ArrayNode) devices);
            JsonNode both = JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("releases", releases)
                    .set("devices", data);
            return new Result(devices.size() + " installations by " + distinct(devices) + " devices of " + releases.size()
                    + " releases signed by the key", both);
        }

        private static long distinct(JsonNode devices) {
            java.util.Set<String> ids = new java.util.TreeSet<>();
            devices.forEach(d -> ids.add(d.path("controllerId").asText()));
            return ids.size();
        }
    }
}
