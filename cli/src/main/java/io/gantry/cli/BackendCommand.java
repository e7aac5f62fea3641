package io.gantry.cli;

import io.gantry.backend.BackendServer;
import io.gantry.backend.alerts.AlertWebhook;
import io.gantry.backend.config.ArtifactDownloadLimit;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.DownloadOffload;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.failure.FailureCodes;
import io.gantry.pki.PkiDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Run the backend until interrupted. */
@Command(name = "backend", description = {"Run the backend until Ctrl-C: device and management APIs and EST over HTTPS with client "
        + "certificates, and CRL/OCSP over plain HTTP on the port of the PKI's revocation URL (pki init --revocation-url)."})
final class BackendCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "data folder (database, artifacts; created if missing)")
    Path data;
    @Option(names = "--pki", required = true, description = "PKI folder from 'pki init'")
    Path pki;
    @Option(names = {"--trust-root", "--trust"}, paramLabel = "TRUST_ROOT_JSON", required = true, description = "release trust root: trust-root.json, "
            + "signed by its root threshold, its signatures in trust-root.sigs.json beside it (docs/release-format.md); "
            + "the backend refuses to start without a valid one")
    Path trust;
    @Option(names = "--port", defaultValue = "8443", description = "HTTPS port of both APIs and EST (default ${DEFAULT-VALUE}; 0: any free port)")
    int port;
    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind;
    @Option(names = "--alert-webhook", description = "post operator alerts (renewal escalations, revocations, "
            + "release rejections) as JSON to this https URL (or http to a loopback relay)")
    URI alertWebhook;
    @Option(names = "--alert-codes", split = ",", description = "security event codes that are alerts "
            + "(default: the CERT_RENEWAL_* codes, CERTIFICATE_REVOKED and every release rejection code)")
    Set<String> alertCodes;
    @Mixin
    DatabaseOptions database = new DatabaseOptions();

    @Option(names = "--downloads-per-artifact", defaultValue = "1", description = "complete downloads of one artifact a device "
            + "may make per download window; resuming with a Range is not a new one (default ${DEFAULT-VALUE})")
    int downloadsPerArtifact;
    @Option(names = "--download-window-minutes", defaultValue = "60", description = "the per-device download window in minutes "
            + "(default ${DEFAULT-VALUE}); past the limit devices get 429 DOWNLOAD_REPEATED with Retry-After")
    long downloadWindowMinutes;
    @Option(names = "--offload-url", description = "download offload: payload links in deploymentBase point at this https base "
            + "URL (a reverse proxy such as docs/offload/gantry-offload.conf), signed with --offload-secret-file; default: "
            + "the backend serves every download")
    URI offloadUrl;
    @Option(names = "--offload-secret-file", description = "file whose text (at least 32 characters, e.g. from 'openssl rand -hex 32') "
            + "is the HMAC-SHA256 key of offload links; the proxy reads the same file")
    Path offloadSecret;
    @Option(names = "--offload-link-minutes", defaultValue = "30", description = "how long an offload link is valid (default "
            + "${DEFAULT-VALUE} minutes)")
    long offloadLinkMinutes;

    @Override
    public Integer call() throws Exception {
        PkiDirectory dir = PkiDirectory.open(pki, Clock.systemUTC());
        // The CRL/OCSP listener takes the port the certificates name (pki init --revocation-url).
        BackendConfig config = BackendConfig.fromPki(data, dir, trust)
                .withPort(port).withBindHost(bind).withRevocationPort(dir.revocationEndpoints().base().getPort())
                .withArtifactDownloadLimit(new ArtifactDownloadLimit(downloadsPerArtifact, Duration.ofMinutes(downloadWindowMinutes)))
                .withDatabase(database.settings());
        if ((offloadUrl == null) != (offloadSecret == null)) {
            throw new IllegalArgumentException("--offload-url and --offload-secret-file go together");
        }
        if (offloadUrl != null) {
            config = config.withOffload(new DownloadOffload(offloadUrl, offloadSecret, Duration.ofMinutes(offloadLinkMinutes)));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AlertWebhook alerts = alertWebhook == null ? null : new AlertWebhook(alertWebhook,
                alertCodes == null ? AlertWebhook.DEFAULT_CODES
                        : alertCodes.stream().map(FailureCodes::require).collect(Collectors.toSet()),
                AlertWebhook.DEFAULT_INTERVAL);
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
