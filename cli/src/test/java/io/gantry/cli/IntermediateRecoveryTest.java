package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intermediate compromise recovery, walked with the CLI: rotate the intermediate, restart the
 * backend, devices re-enroll over EST with their still-valid identity, retire the old
 * intermediate, restart: who re-enrolled is accepted, who did not is refused. No firmware changes.
 */
class IntermediateRecoveryTest {
    @TempDir
    Path tmp;
    Path root;

    @Test
    void devicesReenrollOntoANewIntermediateAndTheRetiredOneIsRefused() throws Exception {
        Path dir = tmp.resolve("pki");
        int revocationPort = freePort();
        cli("pki", "init", "--dir", dir.toString(), "--revocation-url", "http://127.0.0.1:" + revocationPort);
        cli("pki", "device", "--dir", dir.toString(), "--id", "dev-a");
        cli("pki", "device", "--dir", dir.toString(), "--id", "dev-b");
        cli("pki", "factory", "--dir", dir.toString(), "--id", "dev-c");
        PkiDirectory pki = PkiDirectory.open(dir, Clock.systemUTC());
        root = pki.rootCaPem();
        X509Certificate oldIntermediate = pki.loadIntermediate().chain().get(0);
        Path trust = TrustRootFixture.create(tmp.resolve("keys"), Clock.systemUTC(), List.of("alice", "bob"))
                .writeTrustRoot(tmp.resolve("trust/trust-root.json"), List.of("alice", "bob"), 1);
        BackendConfig config = BackendConfig.fromPki(tmp.resolve("data"), pki, trust).withRevocationPort(revocationPort);

        Path devC = tmp.resolve("dev-c.p12");
        try (BackendServer backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), Clock.systemUTC())) {
            cli("enroll", "--server", backend.baseUri().toString(), "--trust", pki.rootCaPem().toString(),
                    "--credential", dir.resolve("factory/dev-c.p12").toString(), "--out", devC.toString());
            assertEquals(200, poll(backend, Pkcs12Files.load(devC), "dev-c"));
        }

        // 1. The root issues a new intermediate; the backend picks it up at restart.
        cli("pki", "rotate-intermediate", "--dir", dir.toString());
        X509Certificate newIntermediate = pki.loadIntermediate().chain().get(0);
        assertNotEquals(oldIntermediate.getSubjectX500Principal(), newIntermediate.getSubjectX500Principal());
        Path devA = tmp.resolve("dev-a-renewed.p12");
        try (BackendServer backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), Clock.systemUTC())) {
            // 2. Devices under the old intermediate still work and re-enroll with their current identity.
            assertEquals(200, poll(backend, pki.loadDevice("dev-b"), "dev-b"));
            cli("enroll", "--renew", "--server", backend.baseUri().toString(), "--trust", pki.rootCaPem().toString(),
                    "--credential", pki.deviceKeyStore("dev-a").toString(), "--out", devA.toString());
            assertEquals(newIntermediate.getSubjectX500Principal(),
                    Pkcs12Files.load(devA).chain().get(0).getIssuerX500Principal());
            assertEquals(200, poll(backend, Pkcs12Files.load(devA), "dev-a"));
        }

        // 3. The root retires the old intermediate; after restart its chains are refused.
        cli("pki", "retire-intermediate", "--dir", dir.toString());
        try (BackendServer backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), Clock.systemUTC())) {
            assertEquals(200, poll(backend, Pkcs12Files.load(devA), "dev-a"), "re-enrolled device accepted");
            assertEquals(-1, poll(backend, pki.loadDevice("dev-b"), "dev-b"), "device that did not re-enroll refused");
            assertEquals(-1, poll(backend, pki.loadDevice("dev-a"), "dev-a"), "the old certificate of a renewed device too");
            assertEquals(-1, poll(backend, Pkcs12Files.load(devC), "dev-c"));
            assertEquals(1, GantryCli.commandLine().execute("enroll", "--renew", "--server", backend.baseUri().toString(),
                    "--trust", pki.rootCaPem().toString(), "--credential", pki.deviceKeyStore("dev-b").toString(),
                    "--out", tmp.resolve("dev-b-late.p12").toString()), "too late to re-enroll through a retired intermediate");
        }
    }

    private static void cli(String... args) {
        assertEquals(0, GantryCli.commandLine().execute(args), String.join(" ", args));
    }

    /** @return the HTTP status of a device poll, or -1 if the TLS handshake refused the certificate */
    private int poll(BackendServer backend, ProtectedKeyStore identity, String id) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity.keyStore(), identity.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(root));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try {
            return client.send(HttpRequest.newBuilder(backend.baseUri().resolve(URI.create("/DEFAULT/controller/v1/" + id))).GET()
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException refused) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
