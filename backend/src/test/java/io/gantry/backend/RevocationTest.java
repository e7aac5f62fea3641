package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.TestReleases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation end to end over real TLS: a revoked device is refused on the API and on downloads
 * (kept-alive connection: 403 CERT_REVOKED; new connection: handshake refused) while another
 * device keeps working; CRL and OCSP answer as {@code openssl} expects; the HTTPS connector staples.
 */
class RevocationTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static long releaseId;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        HttpClient ops = backend.operator("ops");
        releaseId = backend.uploadAndAssign(ops, backend.good("rev-fw", "1.0.0",
                Map.of("fw.bin", TestReleases.payloadBytes("rev", 256))), "victim")[0];
        backend.uploadAndAssign(ops, backend.good("rev-fw", "1.0.1",
                Map.of("fw.bin", TestReleases.payloadBytes("rev2", 256))), "bystander");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static X509Certificate deviceCertificate(String id) throws Exception {
        return backend.pki.loadDevice(id).chain().get(0);
    }

    static String serialOf(String id) throws Exception {
        return deviceCertificate(id).getSerialNumber().toString(16);
    }

    static Path pem(String name, X509Certificate... certs) throws Exception {
        Path f = tmp.resolve(name);
        Files.deleteIfExists(f);
        PemCertificates.write(f, List.of(certs));
        return f;
    }

    static X509Certificate intermediate() throws Exception {
        return backend.pki.loadIntermediate().chain().get(0);
    }

    String ocsp(String device) throws Exception {
        Path cert = pem(device + "-cert.pem", deviceCertificate(device));
        Path issuer = pem("issuer.pem", intermediate());
        OpenSsl.Result r = OpenSsl.run(tmp, "openssl", "ocsp", "-issuer", issuer.toString(), "-cert", cert.toString(),
                "-url", backend.server.revocationBaseUri() + "/ocsp", "-CAfile", backend.pki.rootCaPem().toString());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("Response verify OK"), r.output());
        return r.output();
    }

    @Test
    void revokedDeviceIsRefusedOnApiDownloadsAndNewHandshakesWhileAnotherDeviceWorks() throws Exception {
        HttpClient victim = backend.device("victim");
        HttpClient bystander = backend.device("bystander");
        URI download = URI.create(backend.controller("victim") + "/softwaremodules/" + releaseId + "/artifacts/fw.bin");
        assertEquals(200, get(victim, backend.controller("victim")).statusCode());
        assertEquals(200, get(victim, download).statusCode());
        assertTrue(ocsp("victim").contains(": good"));

        HttpResponse<String> revoked = postJson(backend.operator("ops"), backend.uri("/rest/v1/certificates/revocations"),
                "{\"serials\":[\"" + serialOf("victim") + "\"],\"reason\":\"keyCompromise\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals(serialOf("victim"), json(revoked).get("revoked").get(0).asText());

        for (URI uri : List.of(backend.controller("victim"), download)) {
            HttpResponse<String> r = get(victim, uri);
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("CERT_REVOKED", json(r).get("code").asText());
        }
        assertThrows(IOException.class, () -> {
            if (TlsClients.oneConnection(backend.server.baseUri(), backend.pki.loadDevice("victim"), backend.pki.rootCaPem()) < 0) {
                throw new IOException("closed without an answer");
            }
        });
        assertEquals(200, get(bystander, backend.controller("bystander")).statusCode());
        assertTrue(ocsp("victim").contains(": revoked"));
        assertTrue(ocsp("bystander").contains(": good"));

        List<String> refusals = eventsOf("CERT_REVOKED");
        assertTrue(refusals.stream().anyMatch(e -> e.contains("CN=victim") && e.contains("TLS handshake refused")), refusals.toString());
        assertTrue(refusals.stream().anyMatch(e -> e.contains("CN=victim") && e.contains("/artifacts/fw.bin")), refusals.toString());
        String victimSerial = serialOf("victim");
        assertTrue(eventsOf("CERTIFICATE_REVOKED").stream().anyMatch(e -> e.contains(victimSerial)));
    }

    @Test
    void crlListsRevokedSerialAndVerifiesWithOpenssl() throws Exception {
        backend.device("crl-subject");
        postJson(backend.operator("ops"), backend.uri("/rest/v1/certificates/revocations"),
                "{\"serials\":[\"" + serialOf("crl-subject") + "\"],\"reason\":\"cessationOfOperation\"}");
        String keyId = RevocationEndpoints.keyIdOf(intermediate());
        URI url = backend.pki.revocationEndpoints().crl(keyId);
        assertEquals(backend.revocationPort, url.getPort());
        HttpResponse<byte[]> crl = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, crl.statusCode());
        Path file = tmp.resolve("current.crl");
        Files.write(file, crl.body());
        Path chain = pem("crl-chain.pem", intermediate(), backend.pki.rootCertificate());
        OpenSsl.Result r = OpenSsl.run(tmp, "openssl", "crl", "-inform", "DER", "-in", file.toString(), "-CAfile",
                chain.toString(), "-noout", "-text");
        assertEquals(0, r.exit(), r.output());
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("verify OK"), r.output());
        assertTrue(r.output().toLowerCase().replace(":", "").contains(serialOf("crl-subject")), r.output());
        assertTrue(r.output().contains("Cessation Of Operation"), r.output());
    }

    @Test
    void httpsConnectorStaplesAGoodOcspResponse() throws Exception {
        backend.device("stapled");
        Path key = tmp.resolve("stapled.key");
        Path cert = pem("stapled.pem", deviceCertificate("stapled"), intermediate());
        OpenSsl.run(tmp, "openssl", "pkcs12", "-in", backend.pki.deviceKeyStore("stapled").toString(), "-nocerts", "-nodes",
                "-passin", "file:" + backend.pki.deviceKeyStore("stapled") + ".pass", "-out", key.toString());
        OpenSsl.Result r = OpenSsl.run(tmp, "openssl", "s_client", "-connect", "127.0.0.1:" + backend.server.port(), "-status",
                "-cert", cert.toString(), "-key", key.toString(), "-CAfile", backend.pki.rootCaPem().toString());
        assertTrue(r.output().contains("OCSP Response Status: successful"), r.output());
        assertTrue(r.output().contains("Cert Status: good"), r.output());
    }

    @Test
    void plainHttpListenerServesNoApi() throws Exception {
        URI api = backend.server.revocationBaseUri().resolve("/DEFAULT/controller/v1/victim");
        HttpResponse<String> r = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(api).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode());
        assertEquals(404, HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                backend.server.revocationBaseUri().resolve("/rest/v1/releases")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
    }

    /** @return "subject | detail" of every recorded event with {@code code} */
    static List<String> eventsOf(String code) throws Exception {
        HttpResponse<String> r = get(backend.operator("ops"), backend.uri("/rest/v1/security-events?size=500"));
        List<String> out = new java.util.ArrayList<>();
        for (var n : json(r)) {
            if (n.get("code").asText().equals(code)) {
                out.add(n.path("subject").asText("") + " | " + n.path("detail").asText(""));
            }
        }
        return out;
    }
}
