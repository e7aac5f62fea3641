package io.gantry.cli;

import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Assign a published release to a device. */
@Command(name = "assign", description = "Assign a published release to a device.")
final class AssignCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--backend", required = true)
    URI backend;
    @Option(names = "--pki", required = true)
    Path pki;
    @Option(names = "--operator", required = true)
    String operator;
    @Option(names = "--device", required = true)
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
