package io.gantry.cli.incident;

import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** Where the backend is, who the operator is (a security officer), and where the incident's journal is. */
final class IncidentOptions {
    @Option(names = "--backend", required = true, description = "backend base URL, e.g. https://127.0.0.1:8443")
    URI backend;
    @Option(names = "--pki", required = true, description = "PKI folder holding the operator credential and the root CA")
    Path pki;
    @Option(names = "--operator", required = true, description = "operator name from 'pki operator' (a security officer)")
    String operator;
    @Option(names = "--journal", required = true, description = "the incident's local log (JSON lines); one file per incident")
    Path journal;
    @Option(names = "--json", description = "print the step's result as JSON")
    boolean json;

    ManagementClient client() throws Exception {
        PkiDirectory dir = PkiDirectory.open(pki, Clock.systemUTC());
        return new ManagementClient(backend, dir.loadOperator(operator), dir.rootCaPem());
    }
}
