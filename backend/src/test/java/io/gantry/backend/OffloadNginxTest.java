package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.config.DownloadOffload;
import io.gantry.backend.ddi.SignedLinks;
import io.gantry.pki.PemCertificates;
import io.gantry.testing.TestReleases;
import io.gantry.testing.fleet.ToolFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download offload end to end with the real nginx (Debian's, with its njs module) on loopback and
 * the documented configuration (docs/offload): the backend's deploymentBase links the payload to
 * nginx with a signed link; nginx serves the content-addressed file to the device named in the
 * link, over mutual TLS with its device certificate, and answers 403 to a tampered signature,
 * another device or an expired link, without calling the backend.
 */
class OffloadNginxTest {
    static final Path DOCS = Path.of("..", "docs", "offload");
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static NginxProcess nginx;
    static SignedLinks signer;
    static byte[] firmware;
    static long releaseId;
    static long actionId;

    @BeforeAll
    static void start() throws Exception {
        int port = freePort();
        Path secret = tmp.resolve("offload.secret");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(secret, HexFormat.of().formatHex(key) + "\n");
        DownloadOffload offload = DownloadOffload.of(URI.create("https://127.0.0.1:" + port + "/artifacts"), secret);
        signer = new SignedLinks(offload);
        backend = new BackendFixture(tmp.resolve("backend"), c -> c.withOffload(offload), null);

        Path conf = Files.createDirectories(tmp.resolve("nginx"));
        Files.copy(DOCS.resolve("gantry-link.js"), conf.resolve("gantry-link.js"));
        Path[] server = ToolFiles.write(backend.pki.loadServer(), conf, "server", false);
        Files.move(server[0], conf.resolve("server.chain.pem"));
        Files.move(server[1], conf.resolve("server.key.pem"));
        Files.copy(backend.pki.rootCaPem(), conf.resolve("root-ca.pem"));
        PemCertificates.write(conf.resolve("issuing-ca.pem"), List.of(backend.pki.loadIntermediate().chain().get(0)));
        nginx = NginxProcess.start(conf, DOCS.resolve("gantry-offload.conf"), Map.of(
                "/etc/gantry/nginx", conf.toString(),
                "listen 8444 ssl;", "listen 127.0.0.1:" + port + " ssl;",
                "/var/log/nginx/gantry-offload.log", conf.resolve("access.log").toString(),
                "/etc/gantry/offload.secret", secret.toString(),
                "/var/lib/gantry/artifacts", backend.config.dataDir().resolve("artifacts").toString()));

        firmware = TestReleases.payloadBytes("offloaded", 300_000);
        long[] ids = backend.uploadAndAssign(backend.operator("ops"), backend.good("edge-fw", "1.0.0",
                Map.of("fw.bin", firmware)), "dev-edge");
        releaseId = ids[0];
        actionId = ids[1];
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void theDeviceDownloadsItsPayloadFromNginxWithTheSignedLink() throws Exception {
        JsonNode artifacts = deployment("dev-edge");
        URI link = URI.create(artifact(artifacts, "fw.bin").at("/_links/download/href").asText());
        assertEquals("127.0.0.1", link.getHost());
        assertEquals("/artifacts/" + TestReleases.sha256(firmware), link.getPath());
        assertTrue(link.getQuery().matches("device=dev-edge&expires=\\d+&signature=[A-Za-z0-9_-]{43}"), link.getQuery());
        // The signed documents the device checks the payload against stay on the backend, as does md5sum.
        assertTrue(artifact(artifacts, "release.json").at("/_links/download/href").asText().startsWith(backend.uri("/").toString()));
        assertTrue(artifact(artifacts, "fw.bin").at("/_links/md5sum/href").asText().startsWith(backend.uri("/").toString()));

        HttpClient device = backend.device("dev-edge");
        HttpResponse<byte[]> whole = fetch(device, link, null);
        assertEquals(200, whole.statusCode());
        assertEquals(TestReleases.sha256(firmware), TestReleases.sha256(whole.body()));
        HttpResponse<byte[]> resumed = fetch(device, link, "bytes=299000-");
        assertEquals(206, resumed.statusCode());
        assertArrayEquals(Arrays.copyOfRange(firmware, 299_000, 300_000), resumed.body());

        List<String> issued = logResults();
        assertTrue(issued.stream().anyMatch(r -> r.startsWith("fw.bin: link issued, expires ")), "the backend logs every link it issues: " + issued);
        assertTrue(nginx.log("access.log").stream().anyMatch(l -> l.contains("device=dev-edge") && l.contains("status=200")
                && l.contains("bytes=300000") && l.contains("link=ok")), nginx.log("access.log").toString());
    }

    @Test
    void aTamperedSignatureAnotherDeviceOrAnExpiredLinkIs403() throws Exception {
        URI link = URI.create(artifact(deployment("dev-edge"), "fw.bin").at("/_links/download/href").asText());
        HttpClient device = backend.device("dev-edge");
        String query = link.getQuery();
        String signature = query.substring(query.indexOf("signature=") + "signature=".length());
        String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        assertEquals(403, fetch(device, URI.create(link.toString().replace(signature, flipped)), null).statusCode(), "tampered");

        backend.uploadAndAssign(backend.operator("ops"), backend.good("edge-fw-other", "1.0.0",
                Map.of("fw.bin", firmware)), "dev-other");
        HttpClient other = backend.device("dev-other");
        // Its first poll makes the backend import the new certificate, so its OCSP responder answers "good" for it.
        assertEquals(200, get(other, backend.controller("dev-other")).statusCode());
        assertEquals(403, fetch(other, link, null).statusCode(), () -> "another device's certificate with this device's link: " + logs("error.log"));
        assertEquals(403, fetch(other, URI.create(link.toString().replace("device=dev-edge", "device=dev-other")), null)
                .statusCode(), "the link's device changed: the signature no longer fits");

        String sha = TestReleases.sha256(firmware);
        long past = Instant.now().getEpochSecond() - 60;
        URI expired = URI.create("https://" + link.getAuthority() + link.getPath() + "?device=dev-edge&expires=" + past
                + "&signature=" + signer.signature("dev-edge", sha, past));
        assertEquals(403, fetch(device, expired, null).statusCode(), "expired, though correctly signed");
        long future = Instant.now().getEpochSecond() + 600;
        URI fresh = URI.create("https://" + link.getAuthority() + link.getPath() + "?device=dev-edge&expires=" + future
                + "&signature=" + signer.signature("dev-edge", sha, future));
        assertEquals(206, fetch(device, fresh, "bytes=0-9").statusCode(), "signed the same way but not expired: served");

        List<String> verdicts = nginx.log("access.log");
        for (String why : List.of("link=bad-signature", "link=other-device", "link=expired")) {
            assertTrue(verdicts.stream().anyMatch(l -> l.contains(why) && l.contains("status=403")), why + " in " + verdicts);
        }
    }

    @Test
    void withoutADeviceCertificateOrWithARevokedOneNginxRefusesTheConnection() throws Exception {
        URI link = URI.create(artifact(deployment("dev-edge"), "fw.bin").at("/_links/download/href").asText());
        HttpResponse<byte[]> anonymous = fetch(TlsClients.withoutCertificate(backend.pki.rootCaPem()), link, null);
        assertEquals(400, anonymous.statusCode(), "nginx: no required SSL certificate was sent");

        backend.uploadAndAssign(backend.operator("ops"), backend.good("edge-fw-revoked", "1.0.0",
                Map.of("fw.bin", firmware)), "dev-revoked");
        URI revokedLink = URI.create(artifact(deployment("dev-revoked"), "fw.bin").at("/_links/download/href").asText());
        HttpClient revokedDevice = backend.device("dev-revoked");
        String serial = backend.pki.loadDevice("dev-revoked").chain().get(0).getSerialNumber().toString(16);
        HttpResponse<String> revoked = postJson(backend.operator("ops"), backend.uri("/rest/v1/certificates/revocations"),
                "{\"serials\":[\"" + serial + "\"],\"reason\":\"keyCompromise\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals(400, fetch(revokedDevice, revokedLink, null).statusCode(), "OCSP says revoked: nginx refuses the certificate");
        assertTrue(nginx.log("error.log").stream().anyMatch(l -> l.contains("client SSL certificate verify error: certificate revoked")),
                () -> logs("error.log"));
    }

    private static JsonNode deployment(String device) throws Exception {
        JsonNode poll = json(get(backend.device(device), backend.controller(device)));
        URI base = URI.create(poll.at("/_links/deploymentBase/href").asText());
        return json(get(backend.device(device), base)).at("/deployment/chunks/0/artifacts");
    }

    private static JsonNode artifact(JsonNode artifacts, String filename) {
        for (JsonNode a : artifacts) {
            if (a.path("filename").asText().equals(filename)) {
                return a;
            }
        }
        throw new AssertionError("no artifact " + filename + " in " + artifacts);
    }

    private static HttpResponse<byte[]> fetch(HttpClient client, URI uri, String range) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri);
        if (range != null) {
            r.header("Range", range);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** @return the download log's results, read in this JVM from the database the running backend holds open (H2 or PostgreSQL) */
    private static List<String> logResults() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (java.sql.Connection c = io.gantry.backend.db.TestDatabases.connect(backend.config.dataDir().resolve("db"));
                java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT artifact, result FROM download_log ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + ": " + rs.getString(2));
            }
        }
        return out;
    }

    private static String logs(String name) {
        try {
            return String.join("\n", nginx.log(name));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
