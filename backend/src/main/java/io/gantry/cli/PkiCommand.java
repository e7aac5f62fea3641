package io.gantry.cli;

import io.gantry.pki.PkiDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Offline CA chores. The root key is only ever loaded here, never by a server. */
@Command(name = "pki", description = "Create the CA hierarchy and issue device and operator certificates.")
final class PkiCommand {

    @Command(name = "init", description = "Create root, intermediate and server credentials in a folder.")
    int init(@Option(names = "--dir", required = true) Path dir,
            @Option(names = "--san", description = "server DNS name or IP (repeatable; default localhost, 127.0.0.1)") List<String> sans)
            throws Exception {
        PkiDirectory.create(dir, sans == null ? PkiDirectory.DEFAULT_SERVER_SANS : sans, Clock.systemUTC());
        System.out.println("created PKI in " + dir.toAbsolutePath() + "; trust anchor " + dir.resolve("root/root-ca.pem"));
        return 0;
    }

    @Command(name = "device", description = "Issue a device certificate and key (one per device id).")
    int device(@Option(names = "--dir", required = true) Path dir, @Option(names = "--id", required = true) String id)
            throws Exception {
        System.out.println("issued " + PkiDirectory.open(dir, Clock.systemUTC()).issueDevice(id));
        return 0;
    }

    @Command(name = "operator", description = "Issue an operator (management API) certificate and key.")
    int operator(@Option(names = "--dir", required = true) Path dir, @Option(names = "--name", required = true) String name)
            throws Exception {
        System.out.println("issued " + PkiDirectory.open(dir, Clock.systemUTC()).issueOperator(name));
        return 0;
    }
}
