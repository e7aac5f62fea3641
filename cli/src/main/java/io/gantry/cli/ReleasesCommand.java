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

/** {@code gantry releases list|show}: the releases the backend stores (docs/cli.md). */
@Command(name = "releases", description = "List and show stored releases (docs/cli.md).",
        subcommands = {ReleasesCommand.ListAll.class, ReleasesCommand.Show.class})
final class ReleasesCommand {
    private ReleasesCommand() {
    }

    static final List<String> HEADERS = List.of("ID", "NAME", "VERSION", "KIND", "TARGET", "SIGNERS", "CREATED");

    static List<String> row(JsonNode r) {
        return List.of(OperatorTables.text(r, "id"), OperatorTables.text(r, "name"), OperatorTables.text(r, "version"),
                OperatorTables.text(r, "kind"), OperatorTables.text(r, "target"), String.valueOf(r.path("signers").size()),
                OperatorTables.text(r, "createdAt"));
    }

    /** {@code releases list}. */
    @Command(name = "list", description = "List releases, oldest first (a page).")
    static final class ListAll extends PagedListCall {
        @Override
        String path() {
            return "releases";
        }

        @Override
        List<String> headers() {
            return HEADERS;
        }

        @Override
        List<String> row(JsonNode r) {
            return ReleasesCommand.row(r);
        }
    }

    /** {@code releases show}. */
    @Command(name = "show", description = "Show one release with its signers and payloads.")
    static final class Show extends OperatorCall {
        @Parameters(index = "0", description = "release id")
        long id;

        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.release(id);
        }

        @Override
        String endpoint() {
            return "GET /rest/v1/releases/{id}";
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            OperatorTables.print(out, HEADERS, List.of(row(answer)));
            out.println();
            List<List<String>> signers = new ArrayList<>();
            answer.path("signers").forEach(s -> signers.add(List.of(s.asText())));
            OperatorTables.print(out, List.of("SIGNER KEY"), signers);
            out.println();
            List<List<String>> payloads = new ArrayList<>();
            answer.path("payloads").forEach(p -> payloads.add(List.of(OperatorTables.text(p, "name"),
                    OperatorTables.text(p, "size"), OperatorTables.text(p, "sha256"))));
            OperatorTables.print(out, List.of("PAYLOAD", "SIZE", "SHA-256"), payloads);
        }
    }
}
