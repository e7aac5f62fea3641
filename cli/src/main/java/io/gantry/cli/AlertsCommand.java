package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gantry alerts list|ack}: operator alerts, where the backend serves them (docs/cli.md). */
@Command(name = "alerts", description = "List and acknowledge alerts (docs/cli.md).",
        subcommands = {AlertsCommand.ListAll.class, AlertsCommand.Ack.class})
final class AlertsCommand {
    private AlertsCommand() {
    }

    /** {@code alerts list}: every field the backend gives, one column each. */
    @Command(name = "list", description = "List alerts.")
    static final class ListAll extends OperatorCall {
        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.alerts();
        }

        @Override
        String endpoint() {
            return "GET /rest/v1/alerts";
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            List<JsonNode> alerts = OperatorTables.items(answer);
            if (alerts.isEmpty()) {
                out.println("no alerts");
                return;
            }
            List<String> fields = new ArrayList<>();
            alerts.get(0).fieldNames().forEachRemaining(fields::add);
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode a : alerts) {
                rows.add(fields.stream().map(f -> OperatorTables.text(a, f)).toList());
            }
            OperatorTables.print(out, fields.stream().map(f -> f.toUpperCase(java.util.Locale.ROOT)).toList(), rows);
        }
    }

    /** {@code alerts ack}. */
    @Command(name = "ack", description = "Acknowledge an alert.")
    static final class Ack extends OperatorCall {
        @Parameters(index = "0", description = "alert id")
        String id;

        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.acknowledgeAlert(id);
        }

        @Override
        String endpoint() {
            return "POST /rest/v1/alerts/{id}/acknowledge";
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.println("alert " + OperatorTables.clean(id) + " acknowledged");
        }
    }
}
