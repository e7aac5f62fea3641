package io.gantry.cli.incident;

import io.gantry.cli.OperatorConnection;
import io.gantry.cli.mgmt.ManagementClient;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the backend is and who the operator is (a security officer: the connection options of every
 * management command), and where the incident's journal is.
 */
final class IncidentOptions {
    @Mixin
    OperatorConnection connection = new OperatorConnection();
    @Option(names = "--journal", required = true, description = "the incident's local log (JSON lines); one file per incident")
    Path journal;

    ManagementClient client() throws Exception {
        return connection.client();
    }

    Path pki() {
        return connection.pki();
    }

    boolean json() {
        return connection.json();
    }
}
