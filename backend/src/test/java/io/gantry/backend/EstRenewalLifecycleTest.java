package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.EstClients.certificates;
import static io.gantry.backend.EstClients.csr;
import static io.gantry.backend.EstClients.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.config.ReenrollmentPolicy;
import io.gantry.pki.EcKeys;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * simplereenroll is limited per device, and a renewal ends the old certificate: once the new one is
 * used on the device port (or the grace period has passed), the old one is revoked with reason
 * {@code superseded}, reported so by OCSP and the CRL, and refused at the handshake.
 */
class EstRenewalLifecycleTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp, c -> c, null,
                s -> s.withReenrollment(new ReenrollmentPolicy(2, Duration.ofDays(1), Duration.ofHours(24))));
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void reenrollmentIsLimitedPerDeviceWithAStableCodeAndRetryAfter() throws Exception {
        HttpClient device = backend.device("dev-limit");
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = post(device, backend.server.baseUri(), "simplereenroll", csr("CN=dev-limit", EcKeys.generateP256()));
            assertEquals(200, r.statusCode(), r.body());
        }
        HttpResponse<String> third = post(device, backend.server.baseUri(), "simplereenroll", csr("CN=dev-limit", EcKeys.generateP256()));
        assertEquals(429, third.statusCode(), third.body());
        assertEquals("REENROLL_LIMIT", json(third).get("code").asText());
        long retryAfter = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= Duration.ofDays(1).toSeconds() + 1, "Retry-After " + retryAfter);
        // Another device is not affected.
        assertEquals(200, post(backend.device("dev-other"), backend.server.baseUri(), "simplereenroll",
                csr("CN=dev-other", EcKeys.generateP256())).statusCode());
    }

    @Test
    void supersededCertificateIsRevokedOnceTheNewOneIsUsed() throws Exception {
        HttpClient oldClient = backend.device("dev-renew");
        ProtectedKeyStore old = backend.pki.loadDevice("dev-renew");
        X509Certificate oldCert = old.chain().get(0);
        assertEquals(200, get(oldClient, backend.controller("dev-renew")).statusCode());
        KeyPair key = EcKeys.generateP256();
        HttpResponse<String> r = post(oldClient, backend.server.baseUri(), "simplereenroll", csr("CN=dev-renew", key));
        assertEquals(200, r.statusCode(), r.body());
        X509Certificate issued = certificates(r.body()).get(0);
        // Until the device switches, the old certificate stays GOOD (a lost answer must not lock the device out).
        assertTrue(ocsp(oldCert).contains(": good"));

        var renewed = EstClients.identity(key, List.of(issued, backend.pki.loadIntermediate().chain().get(0)));
        assertEquals(200, get(TlsClients.withCertificate(renewed, backend.pki.rootCaPem()), backend.controller("dev-renew")).statusCode());

        // The old client's kept-alive connection is refused and closed, so a gateway that holds the new identity reconnects with it.
        HttpResponse<String> kept = get(oldClient, backend.controller("dev-renew"));
        assertEquals(403, kept.statusCode(), kept.body());
        assertEquals("CERT_REVOKED", json(kept).get("code").asText());
        assertEquals("close", kept.headers().firstValue("Connection").orElse(""));
        String status = ocsp(oldCert);
        assertTrue(status.contains(": revoked") && status.contains("Reason: superseded"), status);
        assertTrue(crlText().contains("Superseded"), "the CRL lists it as superseded");
        assertThrows(IOException.class, () -> {
            if (TlsClients.oneConnection(backend.server.baseUri(), old, backend.pki.rootCaPem()) < 0) {
                throw new IOException("closed without an answer");
            }
        });
        assertTrue(ocsp(issued).contains(": good"));
        String events = get(backend.operator("ops"), backend.uri("/rest/v1/security-events?size=200")).body();
        assertTrue(events.contains("CERTIFICATE_SUPERSEDED") && events.contains(oldCert.getSerialNumber().toString(16)), events);
    }

    private static String ocsp(X509Certificate cert) throws Exception {
        Path certPem = tmp.resolve("ocsp-" + cert.getSerialNumber().toString(16) + ".pem");
        Files.deleteIfExists(certPem);
        PemCertificates.write(certPem, List.of(cert));
        Path issuer = tmp.resolve("issuer.pem");
        Files.deleteIfExists(issuer);
        PemCertificates.write(issuer, List.of(backend.pki.loadIntermediate().chain().get(0)));
        OpenSsl.Result r = OpenSsl.run(tmp, "openssl", "ocsp", "-issuer", issuer.toString(), "-cert", certPem.toString(),
                "-url", backend.server.revocationBaseUri() + "/ocsp", "-CAfile", backend.pki.rootCaPem().toString());
        assertEquals(0, r.exit(), r.output());
        return r.output();
    }

    private static String crlText() throws Exception {
        String keyId = io.gantry.pki.RevocationEndpoints.keyIdOf(backend.pki.loadIntermediate().chain().get(0));
        HttpResponse<byte[]> crl = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                backend.pki.revocationEndpoints().crl(keyId)).build(), HttpResponse.BodyHandlers.ofByteArray());
        Path file = tmp.resolve("current.crl");
        Files.write(file, crl.body());
        return OpenSsl.run(tmp, "openssl", "crl", "-inform", "DER", "-in", file.toString(), "-noout", "-text").output();
    }
}
