package io.gantry.cli;

import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * The options every management command of the operator CLI takes (a picocli mixin): where the
 * backend is, which PKI folder holds the operator credential and the root CA, which operator, and
 * {@code --json}.
 */
public final class OperatorConnection {
    @Option(names = "--backend", required = true, description = "backend base URL, e.g. https://127.0.0.1:8443")
    URI backend;
    @Option(names = "--pki", required = true, description = "PKI folder holding the operator credential and the root CA")
    Path pki;
    @Option(names = "--operator", required = true, description = "operator name from 'pki operator'")
    String operator;
    @Option(names = "--json", description = "print the backend's JSON answer")
    boolean json;

    /** @return a client for the backend with the operator's certificate, trusting the PKI's root CA */
    public ManagementClient client() throws Exception {
        PkiDirectory dir = PkiDirectory.open(pki, Clock.systemUTC());
        return new ManagementClient(backend, dir.loadOperator(operator), dir.rootCaPem());
    }

    /** @return the PKI folder */
    public Path pki() {
        return pki;
    }

    /** @return whether {@code --json} was given */
    public boolean json() {
        return json;
    }
}
