package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.pki.CertificateProfile;
import io.gantry.pki.FactoryCredentials;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PemCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard EST clients: a key and CSR from {@code openssl req}, posted with {@code curl}, the
 * PKCS#7 answer opened with {@code openssl pkcs7} and the certificate accepted by
 * {@code openssl verify}; then the same device renews and rekeys with its new certificate.
 */
class EstOpensslCurlTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        work = Files.createDirectories(tmp.resolve("client"));
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void opensslCsrPostedWithCurlEnrollsThenRenewsWithTheNewCertificate() throws Exception {
        Path store = FactoryCredentials.issue(backend.pki, "dev-17", CertificateProfile.FACTORY_VALIDITY);
        String pass = "file:" + Pkcs12Files.passwordFile(store);
        run("openssl", "pkcs12", "-in", store.toString(), "-passin", pass, "-nokeys", "-out", "factory.pem");
        run("openssl", "pkcs12", "-in", store.toString(), "-passin", pass, "-nocerts", "-nodes", "-out", "factory.key");
        Path root = backend.pki.rootCaPem();

        // cacerts: intermediate and root, certs-only PKCS#7 in base64.
        assertEquals("200", curl("factory.pem", "factory.key", "cacerts", null, "cacerts.b64"));
        pkcs7ToPem("cacerts.b64", "cacerts.pem");
        List<X509Certificate> ca = PemCertificates.read(work.resolve("cacerts.pem"));
        assertEquals(2, ca.size());
        X509Certificate intermediate = backend.pki.loadIntermediate().chain().get(0);
        assertTrue(ca.contains(intermediate));

        // simpleenroll with the factory credential; the key is born here and only the CSR leaves.
        csr("dev-17.key", "/CN=dev-17/OU=devices/O=Gantry", "enroll.b64");
        assertEquals("200", curl("factory.pem", "factory.key", "simpleenroll", "enroll.b64", "issued.b64"));
        pkcs7ToPem("issued.b64", "dev-17.pem");
        assertEquals("dev-17.pem: OK", run("openssl", "verify", "-CAfile", root.toString(), "-untrusted", "cacerts.pem",
                "dev-17.pem").strip());
        X509Certificate first = PemCertificates.read(work.resolve("dev-17.pem")).get(0);
        assertEquals("CN=dev-17,OU=devices,O=Gantry", first.getSubjectX500Principal().getName());

        // The factory credential worked once: a replay is refused and recorded.
        csr("other.key", "/CN=dev-17", "replay.b64");
        assertEquals("403", curl("factory.pem", "factory.key", "simpleenroll", "replay.b64", "replay.json"));
        assertTrue(Files.readString(work.resolve("replay.json")).contains("FACTORY_CREDENTIAL_USED"));

        // simplereenroll with the new certificate (presented with its intermediate), new key.
        Files.writeString(work.resolve("dev-17-chain.pem"), Files.readString(work.resolve("dev-17.pem"))
                + PemCertificates.toPem(List.of(backend.pki.loadIntermediate().chain().get(0))), StandardCharsets.US_ASCII);
        csr("dev-17-new.key", "/CN=dev-17/OU=devices/O=Gantry", "renew.b64");
        assertEquals("200", curl("dev-17-chain.pem", "dev-17.key", "simplereenroll", "renew.b64", "renewed.b64"));
        pkcs7ToPem("renewed.b64", "dev-17-renewed.pem");
        assertEquals("dev-17-renewed.pem: OK", run("openssl", "verify", "-CAfile", root.toString(), "-untrusted",
                "cacerts.pem", "dev-17-renewed.pem").strip());
        X509Certificate renewed = PemCertificates.read(work.resolve("dev-17-renewed.pem")).get(0);
        assertEquals(first.getSubjectX500Principal(), renewed.getSubjectX500Principal());
        assertNotEquals(first.getPublicKey(), renewed.getPublicKey(), "rekeyed");
    }

    private static void csr(String keyOut, String subject, String base64Out) throws Exception {
        run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyOut,
                "-subj", subject, "-outform", "DER", "-out", base64Out + ".der");
        run("openssl", "base64", "-in", base64Out + ".der", "-out", base64Out);
    }

    private static void pkcs7ToPem(String base64, String pemOut) throws Exception {
        run("openssl", "base64", "-d", "-in", base64, "-out", base64 + ".der");
        run("openssl", "pkcs7", "-inform", "DER", "-in", base64 + ".der", "-print_certs", "-out", pemOut);
    }

    /** @return the HTTP status curl saw */
    private static String curl(String cert, String key, String operation, String body, String out) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--cacert", backend.pki.rootCaPem().toString(), "--cert", cert,
                "--key", key, "-o", out, "-w", "%{http_code}"));
        if (body != null) {
            cmd.addAll(List.of("--data-binary", "@" + body, "-H", "Content-Type: application/pkcs10"));
        }
        cmd.add(backend.uri("/.well-known/est/" + operation).toString());
        return run(cmd.toArray(String[]::new)).strip();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
