package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intermediate-compromise drill (issue 11, item 4), with the CLI against a real backend over
 * mutual TLS: revoking is refused while the compromised intermediate still issues; after the
 * rotation and a restart, the mass revocation takes exactly the devices' certificates and spares
 * the backend's server and operator certificates (the operator goes on running the playbook with
 * a certificate of the compromised intermediate), the revoked devices are refused in the
 * handshake, re-enroll with new factory credentials from the new intermediate, and the report
 * lists what is still GOOD.
 */
class CaCompromiseDrillTest {
    @TempDir
    Path tmp;
    private Path root;

    @Test
    void massRevocationSparesServiceCertificatesAndDevicesReenrollUnderTheNewIntermediate() throws Exception {
        Path dir = tmp.resolve("pki");
        int revocationPort = KeyCompromiseDrillTest.freePort();
        cli("pki", "init", "--dir", dir.toString(), "--revocation-url", "http://127.0.0.1:" + revocationPort);
        cli("pki", "operator", "--dir", dir.toString(), "--name", "officer");
        cli("pki", "device", "--dir", dir.toString(), "--id", "dev-a");
        cli("pki", "device", "--dir", dir.toString(), "--id", "dev-b");
        PkiDirectory pki = PkiDirectory.open(dir, Clock.systemUTC());
        root = pki.rootCaPem();
        Path trust = TrustRootFixture.create(tmp.resolve("keys"), Clock.systemUTC(), List.of("alice", "bob"))
                .writeTrustRoot(tmp.resolve("trust/trust-root.json"), List.of("alice", "bob"), 1);
        BackendConfig config = BackendConfig.fromPki(tmp.resolve("data"), pki, trust).withRevocationPort(revocationPort);
        String journal = tmp.resolve("incident/ca.jsonl").toString();
        String old = "gantry-intermediate-ca";

        try (BackendServer backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), Clock.systemUTC())) {
            String[] conn = connection(backend, dir, journal);
            assertEquals(200, poll(backend, pki.loadDevice("dev-a"), "dev-a"));
            // Revoking while the compromised intermediate is still the issuing CA is refused: rotate first.
            assertEquals(1, GantryCli.commandLine().execute(args(conn, "revoke", "--intermediate", old)));
        }

        cli("pki", "rotate-intermediate", "--dir", dir.toString());
        X509Certificate next = pki.loadIntermediate().chain().get(0);
        try (BackendServer backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), Clock.systemUTC())) {
            String[] conn = connection(backend, dir, journal);
            String listed = cli(args(conn, "affected-devices", "--intermediate", old));
            assertTrue(listed.contains("devices CN=dev-a") && listed.contains("devices CN=dev-b"), listed);
            assertFalse(listed.contains("operators") || listed.contains("server"), listed);

            cli(args(conn, "revoke", "--intermediate", old));
            assertEquals(-1, poll(backend, pki.loadDevice("dev-a"), "dev-a"), "revoked device refused in the handshake");
            assertEquals(-1, poll(backend, pki.loadDevice("dev-b"), "dev-b"));

            // The operator's certificate (issued by the old intermediate) was spared: the playbook goes on.
            String issued = cli(args(conn, "reenroll", "--intermediate", old));
            assertTrue(issued.contains("issued 2 factory credentials"), issued);
            Path renewed = tmp.resolve("dev-a-new.p12");
            cli("enroll", "--server", backend.baseUri().toString(), "--trust", root.toString(),
                    "--credential", dir.resolve("factory/dev-a.p12").toString(), "--out", renewed.toString());
            assertEquals(next.getSubjectX500Principal(), Pkcs12Files.load(renewed).chain().get(0).getIssuerX500Principal());
            assertEquals(200, poll(backend, Pkcs12Files.load(renewed), "dev-a"), "re-enrolled device accepted");

            String report = cli(args(conn, "report", "--intermediate", old));
            assertTrue(report.contains("| revoke | done | revoked 2 certificates issued by " + old), report);
            assertTrue(report.contains("operators CN=officer"), report);
            assertFalse(report.contains("devices CN=dev-"), report);

            // Before retiring it, the operators get certificates from the new intermediate; retire warns about the old ones.
            cli("pki", "operator", "--dir", dir.toString(), "--name", "officer-2");
            String retired = cli(args(conn, "retire", "--intermediate", old));
            assertTrue(retired.contains("warning: operators CN=officer,"), retired);
        }
        try (BackendServer backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), Clock.systemUTC())) {
            assertEquals(200, poll(backend, Pkcs12Files.load(tmp.resolve("dev-a-new.p12")), "dev-a"));
            String[] conn = connection(backend, dir, journal);
            assertEquals(1, GantryCli.commandLine().execute(args(conn, "report", "--intermediate", old)),
                    "the spared operator certificate of the retired intermediate is refused now");
            conn[5] = "officer-2";
            assertTrue(cli(args(conn, "report", "--intermediate", old)).contains("| retire | done | retired 1 intermediates"));
        }
    }

    private static String[] connection(BackendServer backend, Path pki, String journal) {
        return new String[] {"--backend", backend.baseUri().toString(), "--pki", pki.toString(), "--operator", "officer",
            "--journal", journal};
    }

    private static String[] args(String[] conn, String step, String... more) {
        List<String> all = new ArrayList<>(List.of("incident", "ca-compromise", step));
        all.addAll(List.of(more));
        all.addAll(List.of(conn));
        return all.toArray(new String[0]);
    }

    private static String cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = GantryCli.commandLine().execute(args);
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(0, code, String.join(" ", args) + "\n" + out);
        return out;
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
}
