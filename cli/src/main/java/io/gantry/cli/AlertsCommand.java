package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry alerts list|ack}: operator alerts, where the backend serves them (docs/cli.md). */
@Command(name = "alerts", description = "List and acknowledge alerts (docs/cli.md).",
        subcommands = {AlertsCommand.ListAll.class, AlertsCommand.Ack.class})
final class AlertsCommand {
    private AlertsCommand() {
    }

    /** {@code alerts list}: one page, newest first, every field the backend gives, one column each. */
    @Command(name = "list", description = "List alerts, newest first (a page).")
    static final class ListAll extends PagedListCall {
        static final List<String> FIELDS = List.of("id", "kind", "subjectType", "subject", "severity", "state", "message",
                "firstSeen", "lastSeen", "count", "acknowledgedBy", "acknowledgedAt", "resolvedAt");
        @Option(names = "--state", description = "OPEN, ACKNOWLEDGED or RESOLVED")
        String state;
        @Option(names = "--kind", description = "an alert kind, e.g. DEVICE_SILENT")
        String kind;

        @Override
        String path() {
            return "alerts";
        }

        @Override
        Map<String, String> filters() {
            return present("state", state, "kind", kind);
        }

        @Override
        List<String> headers() {
            return FIELDS.stream().map(f -> f.toUpperCase(Locale.ROOT)).toList();
        }

        @Override
        List<String> row(JsonNode alert) {
            return FIELDS.stream().map(f -> OperatorTables.text(alert, f)).toList();
        }

        @Override
        String nothing() {
            return "no alerts";
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
