package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry events list}: the security events (audit), newest first (docs/cli.md). */
@Command(name = "events", description = "List security events, newest first (docs/cli.md).", subcommands = EventsCommand.ListAll.class)
final class EventsCommand {
    private EventsCommand() {
    }

    /** {@code events list}: one page, newest first. */
    @Command(name = "list", description = "List the newest security events (a page).")
    static final class ListAll extends PagedListCall {
        @Option(names = "--code", description = "only this event code")
        String code;

        @Override
        String path() {
            return "security-events";
        }

        @Override
        Map<String, String> filters() {
            return present("code", code);
        }

        @Override
        List<String> headers() {
            return List.of("ID", "AT", "CODE", "SUBJECT", "FROM", "DETAIL");
        }

        @Override
        List<String> row(JsonNode e) {
            return List.of(OperatorTables.text(e, "id"), OperatorTables.text(e, "occurredAt"), OperatorTables.text(e, "code"),
                    OperatorTables.text(e, "subject"), OperatorTables.text(e, "remoteAddress"), OperatorTables.text(e, "detail"));
        }
    }
}
