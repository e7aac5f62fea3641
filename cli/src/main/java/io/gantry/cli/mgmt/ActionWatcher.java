package io.gantry.cli.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/** Follows an action through the management API, printing each status report the device sends. */
public final class ActionWatcher {
    private static final Duration POLL = Duration.ofMillis(250);
    private final ManagementClient client;
    private final PrintStream out;

    public ActionWatcher(ManagementClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    /**
     * Waits until the action is FINISHED or ERROR.
     *
     * @return the final action document
     * @throws IOException if the deadline passes first
     */
    public JsonNode awaitClosed(long actionId, Duration timeout)
            throws IOException, ManagementException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int printed = 0;
        while (true) {
            JsonNode action = client.action(actionId);
            JsonNode history = action.path("history");
            for (; printed < history.size(); printed++) {
                JsonNode h = history.get(printed);
                out.printf("  backend <- %s: %s/%s %s%n", action.path("controllerId").asText(),
                        h.path("execution").asText(), h.path("finished").asText(), h.path("details"));
            }
            String status = action.path("status").asText();
            if (status.equals("FINISHED") || status.equals("ERROR")) {
                return action;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("action " + actionId + " still " + status + " after " + timeout);
            }
            // Polling the operator API is what an operator's tool does; the device reports asynchronously.
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Waits until the backend has seen the target check in. */
    public void awaitCheckIn(String controllerId, Duration timeout)
            throws IOException, ManagementException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                JsonNode t = client.target(controllerId);
                if (!t.path("lastSeen").isMissingNode() && !t.path("lastSeen").isNull()) {
                    return;
                }
            } catch (ManagementException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(controllerId + " did not check in within " + timeout);
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
