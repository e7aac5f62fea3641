package io.gantry.cli;

import io.gantry.backend.BackendConfig;
import io.gantry.backend.BackendServer;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.pki.PkiDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Run the backend until interrupted. */
@Command(name = "backend", description = "Run the backend (HTTPS with client certificates) until Ctrl-C.")
final class BackendCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "data folder (database, artifacts)")
    Path data;
    @Option(names = "--pki", required = true, description = "PKI folder from 'pki init'")
    Path pki;
    @Option(names = "--trust", required = true, description = "folder of trusted release-signing *.pem keys")
    Path trust;
    @Option(names = "--port", defaultValue = "8443")
    int port;
    @Option(names = "--bind", defaultValue = "127.0.0.1")
    String bind;

    @Override
    public Integer call() throws Exception {
        PkiDirectory dir = PkiDirectory.open(pki, Clock.systemUTC());
        // The CRL/OCSP listener takes the port the certificates name (pki init --revocation-url).
        BackendConfig config = BackendConfig.fromPki(data, dir, trust)
                .withPort(port).withBindHost(bind).withRevocationPort(dir.revocationEndpoints().base().getPort());
        CountDownLatch stopped = new CountDownLatch(1);
        try (BackendServer server = BackendServer.start(config, EnrollmentConfig.fromPki(dir), Clock.systemUTC())) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            System.out.println("backend listening on " + server.baseUri());
            stopped.await();
        }
        return 0;
    }
}
