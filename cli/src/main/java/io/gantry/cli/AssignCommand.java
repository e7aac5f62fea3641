package io.gantry.cli;

import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Assign a published release to a device. */
@Command(name = "assign", description = "Assign a published release to a device (a PENDING action; prints its id).")
final class AssignCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--backend", required = true, description = "backend base URL, e.g. https://127.0.0.1:8443")
    URI backend;
    @Option(names = "--pki", required = true, description = "PKI folder holding the operator credential and the root CA")
    Path pki;
    @Option(names = "--operator", required = true, description = "operator name from 'pki operator'")
    String operator;
    @Option(names = "--device", required = true, description = "device (controller) id")
    String device;
    @Option(names = "--release", required = true, description = "release id from publish")
    long release;

    @Override
    public Integer call() throws Exception {
        PkiDirectory dir = PkiDirectory.open(pki, Clock.systemUTC());
        ManagementClient client = new ManagementClient(backend, dir.loadOperator(operator), dir.rootCaPem());
        System.out.println("action " + client.assign(device, release));
        return 0;
    }
}
