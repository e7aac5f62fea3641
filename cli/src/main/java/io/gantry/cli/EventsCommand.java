package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry events list}: the security events (audit), newest first (docs/cli.md). */
@Command(name = "events", description = "List security events, newest first (docs/cli.md).", subcommands = EventsCommand.ListAll.class)
final class EventsCommand {
    private EventsCommand() {
    }

    /** {@code events list}. */
    @Command(name = "list", description = "List the newest security events.")
    static final class ListAll extends OperatorCall {
        @Option(names = "--limit", defaultValue = "100", description = "at most this many, 1 to 1000 (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.securityEvents(limit);
        }

        @Override
        String endpoint() {
            return "GET /rest/v1/security-events";
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode e : answer) {
                rows.add(List.of(OperatorTables.text(e, "id"), OperatorTables.text(e, "occurredAt"), OperatorTables.text(e, "code"),
                        OperatorTables.text(e, "subject"), OperatorTables.text(e, "remoteAddress"), OperatorTables.text(e, "detail")));
            }
            OperatorTables.print(out, List.of("ID", "AT", "CODE", "SUBJECT", "FROM", "DETAIL"), rows);
        }
    }
}
