package io.gantry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.PrometheusExposition;
import io.gantry.testing.fleet.GatewayHome;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path over real mutual TLS on loopback: the backend in this JVM, a gateway in its own
 * JVM from edge-runtime/target/gateway, releases built and signed like an operator would. Bad
 * input must be refused with a stable code the backend records, and change nothing on the gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {
    static final String GATEWAY = "gw-e2e";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final PrintStream LOG = System.out;

    @TempDir
    static Path work;
    Path dist = Path.of(System.getProperty("gantry.gateway.dist"));
    PkiDirectory pki;
    BackendServer backend;
    ManagementClient mgmt;
    ActionWatcher watcher;
    ReleaseFixture trusted;
    ReleaseFixture rogue;
    GatewayHome home;
    GatewayProcess gateway;
    String pluginVersion;
    int revocationPort;
    java.security.KeyPair alice;

    @BeforeAll
    void startBackendAndGateway() throws Exception {
        Clock clock = Clock.systemUTC();
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            revocationPort = s.getLocalPort();
        }
        pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:" + revocationPort), clock);
        // Inside the 90-day renewal window: the gateway renews over EST as soon as it starts.
        pki.issueDevice(GATEWAY, Duration.ofDays(45));
        pki.issueDevice("gw-other");
        pki.issueOperator("operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob", "rogue-1", "rogue-2"));
        // The gateway trusts alice and bob. The backend also accepts the two rogue keys, standing
        // in for a compromised backend: the gateway's own check must still refuse their releases.
        // The gateway pins the PKI's root and refuses the backend without a valid revocation answer (hard-fail).
        Path gatewayTrust = keys.writeTrustRoot(work.resolve("gateway-trust/trust-root.json"),
                TrustRootFixture.hardFailPinning(pki.rootCaPem()), List.of("alice", "bob"), 0, 1);
        Path backendTrust = keys.writeTrustRoot(work.resolve("backend-trust/trust-root.json"),
                List.of("alice", "bob", "rogue-1", "rogue-2"), 0, 1);
        trusted = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")), "alice", clock);
        rogue = new ReleaseFixture(work.resolve("rogue-releases"), List.of(keys.key("rogue-1"), keys.key("rogue-2")),
                "rogue", clock);
        alice = keys.key("alice");

        backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, backendTrust)
                .withPollingSleep(Duration.ofSeconds(1)).withRevocationPort(revocationPort), EnrollmentConfig.fromPki(pki), clock);
        mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
        watcher = new ActionWatcher(mgmt, LOG);
        home = GatewayHome.provision(work.resolve("gateway"), pki, GATEWAY, gatewayTrust, backend.baseUri(),
                List.of("sensor-1"));
        startGateway();
        pluginVersion = ReleaseFixture.nextMinor(ReleaseFixture.pluginJar(dist), 1);
    }

    @AfterAll
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private void startGateway() throws Exception {
        gateway = GatewayProcess.start(dist, home.dir(), LOG::println, "-Dgantry.gateway.listBundles=true");
        gateway.awaitLine(l -> l.contains("Felix started"), TIMEOUT);
        watcher.awaitCheckIn(GATEWAY, TIMEOUT);
    }

    private JsonNode publishAndAwait(Path archive) throws Exception {
        long releaseId = mgmt.uploadRelease(archive).path("id").asLong();
        return watcher.awaitClosed(mgmt.assign(GATEWAY, releaseId), TIMEOUT);
    }

    private static String lastDetails(JsonNode action) {
        JsonNode history = action.path("history");
        return history.get(history.size() - 1).path("details").toString();
    }

    @Test
    @Order(0)
    void nearExpiryCertificateIsRenewedOverEstWithoutARestart() throws Exception {
        String renewed = gateway.awaitLine(l -> l.contains("device certificate renewed"), TIMEOUT);
        String serial = renewed.replaceAll(".*serial ([0-9a-f]+).*", "$1");
        assertEquals("GOOD", mgmt.certificate(serial).path("status").asText());
        assertTrue(Files.exists(home.dir().resolve("identity/device.p12.previous")), "the old identity is kept");
        java.security.cert.X509Certificate now = renewedLeaf();
        assertEquals(serial, now.getSerialNumber().toString(16), "the keystore file holds the new certificate");
        assertTrue(now.getNotAfter().toInstant().isAfter(java.time.Instant.now().plus(Duration.ofDays(365))));
        // The agent keeps working with the new identity in the same JVM: the next tests' actions prove it.
    }

    private java.security.cert.X509Certificate renewedLeaf() throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        char[] password = Files.readString(home.dir().resolve("identity/device.p12.pass")).trim().toCharArray();
        try (var in = Files.newInputStream(home.dir().resolve("identity/device.p12"))) {
            ks.load(in, password);
        }
        String alias = java.util.Collections.list(ks.aliases()).stream().filter(a -> {
            try {
                return ks.isKeyEntry(a);
            } catch (java.security.KeyStoreException e) {
                return false;
            }
        }).findFirst().orElseThrow();
        return (java.security.cert.X509Certificate) ks.getCertificate(alias);
    }

    @Test
    @Order(9)
    void revokedDeviceIsRefusedAtTheHandshake() throws Exception {
        HttpClient before = client(pki.loadDevice("gw-other"));
        assertEquals(403, before.send(poll(GATEWAY), HttpResponse.BodyHandlers.ofString()).statusCode(),
                "known, unrevoked, but not this controller");
        String serial = pki.loadDevice("gw-other").chain().get(0).getSerialNumber().toString(16);
        mgmt.revoke("keyCompromise", serial);
        assertEquals("REVOKED", mgmt.certificate(serial).path("status").asText());
        HttpClient after = client(pki.loadDevice("gw-other"));
        assertThrows(IOException.class, () -> after.send(poll("gw-other"), HttpResponse.BodyHandlers.ofString()));
        // The gateway's own (renewed) identity is unaffected by the revocation of another device.
        HttpClient gatewayIdentity = client(io.gantry.pki.Pkcs12Files.load(home.dir().resolve("identity/device.p12"),
                home.dir().resolve("identity/device.p12.pass")));
        assertEquals(200, gatewayIdentity.send(poll(GATEWAY), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    @Order(1)
    void genuineBundleUpdateRunsInPlaceAndSurvivesRestart() throws Exception {
        long pid = gateway.pid();
        JsonNode action = publishAndAwait(trusted.pluginRelease(dist, pluginVersion));
        assertEquals("FINISHED", action.path("status").asText(), action.toString());
        gateway.awaitLine(l -> l.equals("[gateway] bundle com.acme.gantry.sensor updated to " + pluginVersion), TIMEOUT);
        assertTrue(gateway.isAlive());
        assertEquals(pid, gateway.pid(), "updated without a JVM restart");

        gateway.close();
        startGateway();
        assertTrue(gateway.lines().stream().anyMatch(l -> l.contains("restored from storage")));
        assertTrue(gateway.lines().contains("[gateway] running com.acme.gantry.sensor " + pluginVersion + " state 32"),
                "the bundle installed over the air is still there and active after a restart: " + gateway.lines());
    }

    @Test
    @Order(2)
    void genuineFirmwareUpdatesTheSensorBehindTheGateway() throws Exception {
        JsonNode action = publishAndAwait(trusted.firmwareRelease("1.1.0"));
        assertEquals("FINISHED", action.path("status").asText(), action.toString());
        Properties sensor = home.sensorState("sensor-1");
        assertEquals("1.1.0", sensor.getProperty("version"));
        assertEquals("b", sensor.getProperty("active"));
    }

    @Test
    @Order(3)
    void replayOfTheInstalledFirmwareAfterARestartIsRollback() throws Exception {
        JsonNode installed = mgmt.target(GATEWAY).path("actions");
        long firmwareRelease = installed.get(installed.size() - 1).path("releaseId").asLong();
        Properties before = home.sensorState("sensor-1");
        gateway.close();
        startGateway();
        JsonNode action = watcher.awaitClosed(mgmt.assign(GATEWAY, firmwareRelease), TIMEOUT);
        assertEquals("ERROR", action.path("status").asText());
        assertTrue(lastDetails(action).contains("ROLLBACK"), lastDetails(action));
        assertEquals(before, home.sensorState("sensor-1"));
    }

    @Test
    @Order(4)
    void tamperedPayloadServedByTheBackendIsRejectedAndRecorded() throws Exception {
        Properties before = home.sensorState("sensor-1");
        JsonNode release = mgmt.uploadRelease(trusted.firmwareRelease("1.2.0"));
        // Simulate a compromised artifact store: same length, other bytes.
        Path stored = work.resolve("backend/artifacts/sha256").resolve(release.path("payloads").get(0).path("sha256").asText());
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length - 2] ^= 0x20;
        stored.toFile().setWritable(true);
        Files.write(stored, bytes);
        JsonNode action = watcher.awaitClosed(mgmt.assign(GATEWAY, release.path("id").asLong()), TIMEOUT);
        assertEquals("ERROR", action.path("status").asText());
        assertTrue(lastDetails(action).contains("HASH_MISMATCH"), lastDetails(action));
        assertEquals(before, home.sensorState("sensor-1"), "nothing activated on the sensor");
        assertTrue(gateway.isAlive());
    }

    @Test
    @Order(5)
    void releaseSignedByAKeyTheGatewayDoesNotTrustIsRejected() throws Exception {
        String next = ReleaseFixture.nextMinor(ReleaseFixture.pluginJar(dist), 2);
        JsonNode action = publishAndAwait(rogue.pluginRelease(dist, next));
        assertEquals("ERROR", action.path("status").asText());
        assertTrue(lastDetails(action).contains("UNKNOWN_SIGNER"), lastDetails(action));
        assertFalse(gateway.lines().stream().anyMatch(l -> l.contains("updated to " + next)), "nothing installed");
    }

    @Test
    @Order(6)
    void unsignedAndBadlySignedReleasesAreRefusedOnUpload() throws Exception {
        Path unsigned = work.resolve("unsigned.gantry");
        io.gantry.release.ReleaseBuilder.buildUnsigned(unsigned, "acme-sensor-fw", "1.9.0",
                io.gantry.api.release.ReleaseKind.FIRMWARE, "acme-sensor", "nobody", Clock.systemUTC().instant(),
                java.util.Map.of("sensor.img", Files.writeString(work.resolve("x.img"), "ACME-FW 1.9.0\n")));
        ManagementException e = assertThrows(ManagementException.class, () -> mgmt.uploadRelease(unsigned));
        assertEquals("MISSING_SIGNATURE", e.code());
        assertEquals(422, e.status());
        ReleaseFixture.sign(unsigned, alice);
        ManagementException one = assertThrows(ManagementException.class, () -> mgmt.uploadRelease(unsigned));
        assertEquals("THRESHOLD_NOT_MET", one.code());
    }

    @Test
    @Order(7)
    void deviceCertificateFromAnotherCaIsRefusedAtTheHandshake() throws Exception {
        PkiDirectory other = PkiDirectory.create(work.resolve("other-pki"), PkiDirectory.DEFAULT_SERVER_SANS);
        other.issueDevice(GATEWAY);
        HttpClient client = client(other.loadDevice(GATEWAY));
        assertThrows(IOException.class, () -> client.send(poll(GATEWAY), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    @Order(8)
    void certificateOfAnotherDeviceGets403() throws Exception {
        HttpResponse<String> res = client(pki.loadDevice("gw-other")).send(poll(GATEWAY), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, res.statusCode());
        assertTrue(res.body().contains("\"code\""), res.body());
    }

    @Test
    @Order(10)
    void afterEveryRejectionTheNextGenuineUpdateSucceedsAndRejectionsWereRecorded() throws Exception {
        JsonNode action = publishAndAwait(trusted.firmwareRelease("1.3.0"));
        assertEquals("FINISHED", action.path("status").asText(), action.toString());
        assertEquals("1.3.0", home.sensorState("sensor-1").getProperty("version"));
        JsonNode events = mgmt.securityEvents(200);
        for (String code : List.of("HASH_MISMATCH", "UNKNOWN_SIGNER", "ROLLBACK")) {
            boolean recorded = false;
            for (JsonNode e : events) {
                recorded |= e.path("code").asText().equals(code) && e.path("subject").asText().equals(GATEWAY);
            }
            assertTrue(recorded, code + " reported by the gateway is a security event: " + events);
        }
    }

    @Test
    @Order(11)
    void gatewayMetricsFileCountsWhatHappenedSinceItsLastStart() throws Exception {
        // Since the restart of test 3: the tampered payload (4), the unknown signer (5), the genuine firmware (10).
        Path file = home.dir().resolve("state/metrics.prom");
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        PrometheusExposition m = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                m = PrometheusExposition.parse(Files.readString(file));
                if (m.valueOrZero("gantry_gateway_verification_failures_total", "code", "UNKNOWN_SIGNER") >= 1
                        && m.valueOrZero("gantry_gateway_download_bytes_total") > 0) {
                    break;
                }
            }
            Thread.sleep(500); // the bundle rewrites the file every 15 s
        }
        assertTrue(m != null, "the metrics bundle writes " + file);
        assertTrue(m.valueOrZero("gantry_gateway_polls_total", "result", "ok") >= 3, Files.readString(file));
        assertTrue(m.valueOrZero("gantry_gateway_downloads_total", "result", "ok") >= 1, Files.readString(file));
        assertTrue(m.valueOrZero("gantry_gateway_download_bytes_total") > 0, Files.readString(file));
        assertEquals(1.0, m.valueOrZero("gantry_gateway_verification_failures_total", "code", "UNKNOWN_SIGNER"),
                Files.readString(file));
        assertTrue(m.value("gantry_gateway_certificate_expiry_days").orElseThrow() > 0, "the renewed certificate is valid");
        assertEquals(1.0, m.value("gantry_gateway_renewal_phase", "phase", "NORMAL").orElseThrow(), Files.readString(file));
    }

    private HttpRequest poll(String controllerId) {
        return HttpRequest.newBuilder(backend.baseUri().resolve("/DEFAULT/controller/v1/" + controllerId))
                .timeout(Duration.ofSeconds(10)).GET().build();
    }

    private HttpClient client(ProtectedKeyStore identity) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity.keyStore(), identity.password());
        KeyStore trust = PemCertificates.trustStore(pki.rootCaPem());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

}
