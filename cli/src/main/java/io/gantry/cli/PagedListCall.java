package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * A list command of the operator CLI: one page of a management list ({@code page}/{@code size},
 * the total from {@code X-Total-Count}, docs/backend-api.md "Lists and paging"), printed as a table
 * with a line saying which rows of how many it shows; {@code --json} prints the page as the
 * backend sent it (a JSON array).
 */
abstract class PagedListCall extends OperatorCall {
    @Option(names = "--page", defaultValue = "0", description = "page number, from 0 (default ${DEFAULT-VALUE})")
    int page;
    @Option(names = {"--size", "--limit"}, defaultValue = "50",
            description = "rows per page, 1 to 500 (default ${DEFAULT-VALUE}; --limit is the older name)")
    int size;
    private long total;

    /** @return the list's path under {@code /rest/v1/} */
    abstract String path();

    /** @return the filters the options set (absent ones left out) */
    Map<String, String> filters() {
        return Map.of();
    }

    /** @return the column headers */
    abstract List<String> headers();

    /** @return one row of the table for one item */
    abstract List<String> row(JsonNode item);

    /** @return what the page says when the list is empty */
    String nothing() {
        return "no rows";
    }

    @Override
    final JsonNode run(ManagementClient client) throws IOException, ManagementException {
        ManagementClient.Page p = client.list(path(), filters(), page, size);
        total = p.total();
        return p.items();
    }

    @Override
    final String endpoint() {
        return "GET /rest/v1/" + path();
    }

    @Override
    final void print(JsonNode answer, PrintWriter out) {
        List<JsonNode> items = OperatorTables.items(answer);
        if (items.isEmpty() && total == 0) {
            out.println(nothing());
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        items.forEach(i -> rows.add(row(i)));
        OperatorTables.print(out, headers(), rows);
        long first = (long) page * size;
        out.println(items.isEmpty() ? "page " + page + " is past the end: " + total + " in all"
                : "rows " + (first + 1) + "-" + (first + items.size()) + " of " + total + " (page " + page + ", size " + size + ")");
    }

    /** @return {@code filters} without the null values, in name order */
    static Map<String, String> present(String... namesAndValues) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                out.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return out;
    }
}
