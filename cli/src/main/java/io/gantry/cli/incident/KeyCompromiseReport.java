package io.gantry.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.cli.mgmt.ManagementClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Step 6: the incident's summary from the journal and the backend's state now: each step with its
 * time and outcome, the trust root in force, the key's releases and whether they were withdrawn,
 * the devices that installed them, and the progress of the trust-root and roll-forward rollouts.
 */
@Command(name = "report", description = "Print the incident report (markdown or JSON) from the journal and the backend.")
final class KeyCompromiseReport extends KeyStep {
    @Option(names = "--format", defaultValue = "markdown", description = "markdown or json (default ${DEFAULT-VALUE})")
    String format;
    @Option(names = "--out", description = "also write the report to this file")
    Path out;


    @Override
    Result run(ManagementClient client, IncidentJournal journal, PrintStream print) throws Exception {
        ObjectNode report = JSON.createObjectNode().put("incident", journal.incident());
        ArrayNode steps = report.putArray("steps");
        for (JsonNode e : journal.entries()) {
            if (!e.path("outcome").asText().equals("started")) {
                steps.addObject().put("at", e.path("at").asText()).put("step", e.path("step").asText())
                        .put("outcome", e.path("outcome").asText()).put("detail", e.path("detail").asText());
            }
        }
        report.set("trustRoot", client.get("incidents/trust-root"));
        report.set("releases", client.get("incidents/keys/" + key + "/releases"));
        report.set("devices", client.get("incidents/keys/" + key + "/devices"));
        ArrayNode rollouts = report.putArray("rollouts");
        journal.done("publish-trust-root").ifPresent(p -> rollouts.add(p.path("data").path("rolloutId").asLong()));
        journal.done("roll-forward").ifPresent(p -> p.path("data").path("rollouts")
                .forEach(r -> rollouts.add(r.path("rolloutId").asLong())));
        ArrayNode progress = report.putArray("rolloutProgress");
        for (JsonNode id : rollouts) {
            progress.add(client.rollout(id.asLong()));
        }
        String text = "json".equals(format) ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) : markdown(report);
        print.println(text);
        if (out != null) {
            Files.writeString(out, text, StandardCharsets.UTF_8);
        }
        return new Result("report of " + steps.size() + " journal entries, " + report.get("devices").size()
                + " installations, trust root " + report.at("/trustRoot/version").asLong(), JSON.createObjectNode());
    }

    static String markdown(JsonNode r) {
        StringBuilder b = new StringBuilder("# Incident report: ").append(r.path("incident").asText()).append("\n\n")
                .append(IncidentJournal.stepsMarkdown(r.path("steps")));
        b.append("\n## Trust root\n\nversion ").append(r.at("/trustRoot/version").asLong()).append(", revoked keys ")
                .append(r.at("/trustRoot/revokedKeyIds")).append("\n\n## Releases signed by the key\n\n");
        b.append("| id | name | version | kind | state |\n|---|---|---|---|---|\n");
        for (JsonNode x : r.path("releases")) {
            b.append("| ").append(x.path("id").asLong()).append(" | ").append(x.path("name").asText()).append(" | ")
                    .append(x.path("version").asText()).append(" | ").append(x.path("kind").asText()).append(" | ")
                    .append(x.path("withdrawnCode").isTextual() ? "withdrawn (" + x.path("withdrawnCode").asText() + ")" : "served")
                    .append(" |\n");
        }
        b.append("\n## Devices that installed them\n\n| device | release | installed at | still running it |\n|---|---|---|---|\n");
        for (JsonNode d : r.path("devices")) {
            b.append("| ").append(d.path("controllerId").asText()).append(" | ").append(d.path("name").asText()).append(" ")
                    .append(d.path("version").asText()).append(" | ").append(d.path("installedAt").asText()).append(" | ")
                    .append(d.path("current").asBoolean() ? "yes" : "no").append(" |\n");
        }
        b.append("\n## Rollouts\n\n| id | name | state | succeeded | failed | open |\n|---|---|---|---|---|---|\n");
        for (JsonNode x : r.path("rolloutProgress")) {
            int ok = 0;
            int failed = 0;
            int open = 0;
            for (JsonNode g : x.path("groups")) {
                ok += g.path("succeeded").asInt();
                failed += g.path("failed").asInt();
                open += g.path("open").asInt();
            }
            b.append("| ").append(x.path("id").asLong()).append(" | ").append(x.path("name").asText()).append(" | ")
                    .append(x.path("state").asText()).append(" | ").append(ok).append(" | ").append(failed).append(" | ")
                    .append(open).append(" |\n");
        }
        return b.toString();
    }
}
