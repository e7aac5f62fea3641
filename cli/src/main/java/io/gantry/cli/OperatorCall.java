package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One management API call of the operator CLI: the backend's JSON with {@code --json} (for
 * scripts), a table otherwise. A backend that does not serve the endpoint (404 NOT_FOUND, not a
 * missing object) is reported as such, exit 1, never as an empty list.
 */
abstract class OperatorCall implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();
    @Mixin
    OperatorConnection connection = new OperatorConnection();
    @Spec
    CommandSpec spec;

    /** @return the backend's answer */
    abstract JsonNode run(ManagementClient client) throws IOException, ManagementException;

    /** Prints the answer for a person. */
    abstract void print(JsonNode answer, PrintWriter out);

    /** @return the endpoint, for the message when the backend does not serve it */
    abstract String endpoint();

    @Override
    public Integer call() throws Exception {
        // System.out, like the other commands: scripts and tests read one stream.
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8), true);
        JsonNode answer;
        try {
            answer = run(connection.client());
        } catch (ManagementException e) {
            if (e.status() == 404 && "NOT_FOUND".equals(e.code())) {
                spec.commandLine().getErr().println("gantry: not available on this backend (" + endpoint() + " is not served)");
            } else {
                spec.commandLine().getErr().println("gantry: " + e.getMessage());
            }
            return 1;
        }
        if (connection.json) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
        } else {
            print(answer, out);
        }
        out.flush();
        return 0;
    }
}
