package io.gantry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's closing lines: where the web console is (docs/console.md) and a one-paragraph fleet
 * health summary read from the management API. A part the backend does not serve is named as
 * such, never guessed.
 */
public final class FleetHealth {
    private FleetHealth() {
    }

    /** Prints the console URL and the summary. */
    public static void print(PrintStream out, URI backend, java.nio.file.Path operatorP12, ManagementClient mgmt)
            throws IOException {
        out.println("  web console: " + backend.resolve("/console/index.html") + " (log in with the operator certificate "
                + operatorP12 + " imported into the browser; docs/console.md)");
        out.println("  fleet health: " + summary(mgmt));
    }

    /** @return e.g. {@code 2 releases; rollouts: 1 running, 0 paused; ...; download log intact (4 entries)} */
    public static String summary(ManagementClient mgmt) throws IOException {
        List<String> parts = new ArrayList<>();
        parts.add(part(() -> {
            // The total of a one-row page (X-Total-Count), not the row count.
            return mgmt.targets(java.util.Map.of(), 0, 1).total() + " devices";
        }, "devices"));
        parts.add(part(() -> mgmt.releases(java.util.Map.of(), 0, 1).total() + " releases", "releases"));
        parts.add(part(() -> {
            long running;
            long paused;
            running = mgmt.rollouts(java.util.Map.of("state", "RUNNING"), 0, 1).total();
            paused = mgmt.rollouts(java.util.Map.of("state", "PAUSED"), 0, 1).total();
            return "rollouts: " + running + " running, " + paused + " paused";
        }, "rollouts"));
        parts.add(part(() -> {
            long all = 0;
            long soon = 0;
            for (JsonNode w : mgmt.certificateExpiry().path("windows")) {
                all += w.path("count").asLong();
                soon += !w.path("toDays").isNull() && w.path("toDays").asInt() <= 30 ? w.path("count").asLong() : 0;
            }
            return all + " device certificates (" + soon + " expired or expiring within 30 days)";
        }, "certificate expiry"));
        parts.add(part(() -> {
            // Unresolved and not yet acknowledged: the alert list's own total for state OPEN.
            long open = mgmt.openAlerts();
            return open + " open alerts";
        }, "alerts"));
        parts.add(part(() -> mgmt.securityEvents(java.util.Map.of(), 0, 1).total() + " security events", "security events"));
        parts.add(part(() -> {
            JsonNode v = mgmt.downloadLogVerification();
            return v.path("intact").asBoolean() ? "download log intact (" + v.path("entries").asLong() + " entries)"
                    : "download log BROKEN at entry " + v.path("firstBroken").asLong();
        }, "download log"));
        return String.join("; ", parts);
    }

    private interface Read {
        String read() throws IOException, ManagementException;
    }

    private static String part(Read read, String what) throws IOException {
        try {
            return read.read();
        } catch (ManagementException e) {
            return e.status() == 404 && "NOT_FOUND".equals(e.code()) ? what + ": not available on this backend"
                    : what + ": " + e.getMessage();
        }
    }
}
