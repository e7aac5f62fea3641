package io.gantry.cli;

import io.gantry.backend.BackendServer;
import io.gantry.backend.alerts.AlertWebhook;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.pki.PkiDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
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
    @Option(names = "--alert-webhook", description = "post operator alerts (renewal escalations, revocations, "
            + "release rejections) as JSON to this https URL (or http to a loopback relay)")
    URI alertWebhook;
    @Option(names = "--alert-codes", split = ",", description = "security event codes that are alerts "
            + "(default: the CERT_RENEWAL_* codes, CERTIFICATE_REVOKED and every release rejection code)")
    Set<String> alertCodes;

    @Override
    public Integer call() throws Exception {
        PkiDirectory dir = PkiDirectory.open(pki, Clock.systemUTC());
        // The CRL/OCSP listener takes the port the certificates name (pki init --revocation-url).
        BackendConfig config = BackendConfig.fromPki(data, dir, trust)
                .withPort(port).withBindHost(bind).withRevocationPort(dir.revocationEndpoints().base().getPort());
        CountDownLatch stopped = new CountDownLatch(1);
        AlertWebhook alerts = alertWebhook == null ? null : new AlertWebhook(alertWebhook,
                alertCodes == null ? AlertWebhook.DEFAULT_CODES : alertCodes, AlertWebhook.DEFAULT_INTERVAL);
        try (BackendServer server = BackendServer.start(config, EnrollmentConfig.fromPki(dir), alerts, Clock.systemUTC())) {
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
