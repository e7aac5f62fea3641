package io.gantry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.api.release.ReleaseKind;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.ArtifactDownloadLimit;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.fleet.GatewayHome;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.SwuImages;
import io.gantry.testing.fleet.SwupdateProcess;
import io.gantry.testing.fleet.ToolFiles;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
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
 * A Linux device behind the gateway: Debian's {@code swupdate} in suricatta mode, pointed at the
 * gateway's local hawkBit DDI endpoint (never at the backend), over mutual TLS (it pins the
 * gateway-local CA; the gateway requires its fleet certificate). A release signed by keys the
 * gateway does not trust is refused by the gateway and never offered; a threshold-signed release
 * carrying a CMS-signed {@code .swu} is verified, cached, served, installed by swupdate's rawfile
 * handler, confirmed after the device's restart, and the backend action ends FINISHED with the
 * device's line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalDdiSwupdateIT {
    static final String GATEWAY = "gw-swu";
    static final String DEVICE = "swu-dev-1";
    static final String TYPE = "swupdate-device";
    static final Duration TIMEOUT = Duration.ofSeconds(90);
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
    int localPort;
    Path localCa;

    @BeforeAll
    void start() throws Exception {
        Clock clock = Clock.systemUTC();
        int revocationPort = freePort();
        localPort = freePort();
        pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:" + revocationPort), clock);
        pki.issueDevice(GATEWAY);
        pki.issueDevice(DEVICE);
        pki.issueOperator("operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob", "rogue-1", "rogue-2"));
        // The backend also accepts the rogue keys, standing in for a compromised backend.
        Path gatewayTrust = keys.writeTrustRoot(work.resolve("gateway-trust/trust-root.json"), List.of("alice", "bob"), 0, 1);
        Path backendTrust = keys.writeTrustRoot(work.resolve("backend-trust/trust-root.json"),
                List.of("alice", "bob", "rogue-1", "rogue-2"), 0, 1);
        trusted = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")), "alice", clock);
        rogue = new ReleaseFixture(work.resolve("rogue-releases"), List.of(keys.key("rogue-1"), keys.key("rogue-2")),
                "rogue", clock);
        backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, backendTrust)
                .withPollingSleep(Duration.ofSeconds(1)).withRevocationPort(revocationPort)
                // The gateway restarted mid-update downloads the release a second time within the hour.
                .withArtifactDownloadLimit(new ArtifactDownloadLimit(2, Duration.ofHours(1))),
                EnrollmentConfig.fromPki(pki), clock);
        mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
        watcher = new ActionWatcher(mgmt, LOG);
        home = GatewayHome.provision(work.resolve("gateway"), pki, GATEWAY, gatewayTrust, backend.baseUri(), List.of("sensor-1"));
        localCa = home.localDdi(pki.rootCaPem(), localPort, List.of(DEVICE));
        gateway = GatewayProcess.start(dist, home.dir(), LOG::println);
        gateway.awaitLine(l -> l.contains("local DDI endpoint for " + TYPE), TIMEOUT);
        watcher.awaitCheckIn(GATEWAY, TIMEOUT);
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

    @Test
    void stockSwupdateUpdatesThroughTheGatewayOnlyWithWhatTheGatewayVerified() throws Exception {
        Path device = Files.createDirectories(work.resolve("device"));
        Path installed = device.resolve("installed/hello.txt");
        Files.createDirectories(installed.getParent());
        Path config = deviceConfig(device);
        // Both images carry a valid CMS signature by the device's own signer (swupdate -k): the
        // rogue one is stopped by the gateway's check of the Gantry release signatures alone.
        byte[] evil = SwuImages.signed(device, "1.9.9", "hello.txt", "rogue content\n".getBytes(StandardCharsets.UTF_8),
                installed);
        byte[] content = ("installed by swupdate through the gateway " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] swu = SwuImages.signed(device, "1.0.1", "hello.txt", content, installed);
        URI gatewayDdi = URI.create("https://127.0.0.1:" + localPort);

        try (SwupdateProcess run = SwupdateProcess.start(device, config, "")) {
            // Signed by keys the backend accepts but the gateway does not: refused, never offered.
            JsonNode refused = publishAndAwait(rogue.signed("board-image", "1.9.9", ReleaseKind.FIRMWARE, TYPE, "update.swu",
                    Files.write(device.resolve("rogue.swu"), evil)));
            assertEquals("ERROR", refused.path("status").asText(), refused.toString());
            assertTrue(refused.toString().contains("UNKNOWN_SIGNER"), refused.toString());
            assertFalse(poll(gatewayDdi).path("_links").has("deploymentBase"), "nothing on offer");
            assertEquals(0, cacheEntries(), "nothing cached");
            assertFalse(Files.exists(installed));

            long releaseId = mgmt.uploadRelease(trusted.signed("board-image", "1.0.1", ReleaseKind.FIRMWARE, TYPE, "update.swu",
                    Files.write(device.resolve("good.swu"), swu))).path("id").asLong();
            long actionId = mgmt.assign(GATEWAY, releaseId);
            long t0 = System.nanoTime();
            run.awaitFile(installed, TIMEOUT);
            LOG.printf("swupdate installed the .swu %d ms after the assignment%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(new String(content, StandardCharsets.UTF_8), Files.readString(installed));
            assertEquals("RUNNING", mgmt.action(actionId).path("status").asText(), "not finished before the device confirmed");
            assertEquals(1, cacheEntries());
            // The device restarts; swupdate reports the update it installed.
            run.close();
            try (SwupdateProcess confirm = SwupdateProcess.start(device, config, "-c 2")) {
                JsonNode action = watcher.awaitClosed(actionId, TIMEOUT);
                assertEquals("FINISHED", action.path("status").asText(), action + "\nswupdate said:\n" + confirm.output());
                assertTrue(action.toString().contains(DEVICE) && action.toString().contains("unknown -> 1.0.1, booted slot swupdate"),
                        action.toString());
            }
            assertFalse(poll(gatewayDdi).path("_links").has("deploymentBase"), "the deployment is closed");
        }
    }

    /**
     * The gateway restarts while the device is between installing and confirming: its offer is
     * restored from disk (same action), the device's confirmation after its own restart is taken,
     * and the backend action ends FINISHED. Last: it raises the device's version.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aDeviceMidUpdateGetsACleanResultAcrossAGatewayRestart() throws Exception {
        Path device = Files.createDirectories(work.resolve("device-restart"));
        Path installed = device.resolve("installed/hello.txt");
        Files.createDirectories(installed.getParent());
        Path config = deviceConfig(device);
        byte[] content = ("installed before the gateway restarted " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] swu = SwuImages.signed(device, "1.0.2", "hello.txt", content, installed);
        long releaseId = mgmt.uploadRelease(trusted.signed("board-image", "1.0.2", ReleaseKind.FIRMWARE, TYPE, "update.swu",
                Files.write(device.resolve("restart.swu"), swu))).path("id").asLong();
        long actionId = mgmt.assign(GATEWAY, releaseId);
        try (SwupdateProcess run = SwupdateProcess.start(device, config, "")) {
            run.awaitFile(installed, TIMEOUT);
        }
        gateway.close();
        LOG.println("[LocalDdiSwupdateIT] gateway stopped after the device installed, before it confirmed");
        gateway = GatewayProcess.start(dist, home.dir(), LOG::println);
        gateway.awaitLine(l -> l.contains("local DDI endpoint for " + TYPE), TIMEOUT);
        String restored = gateway.awaitLine(l -> l.contains("offer of board-image 1.0.2 to " + DEVICE + " restored"), TIMEOUT);
        LOG.println("[LocalDdiSwupdateIT] " + restored);
        try (SwupdateProcess confirm = SwupdateProcess.start(device, config, "-c 2")) {
            JsonNode action = watcher.awaitClosed(actionId, TIMEOUT);
            assertEquals("FINISHED", action.path("status").asText(), action + "\nswupdate said:\n" + confirm.output());
            assertTrue(action.toString().contains("device=" + DEVICE) && action.toString().contains("version=1.0.2"),
                    action.toString());
        }
        assertEquals(new String(content, StandardCharsets.UTF_8), Files.readString(installed));
        assertFalse(poll(URI.create("https://127.0.0.1:" + localPort)).path("_links").has("deploymentBase"),
                "the deployment is closed");
        assertTrue(gateway.lines().stream().noneMatch(l -> l.contains("answered 410")), "no feedback refused as closed");
    }

    @Test
    void anotherDevicesCertificateCannotPollAsTheDevice() throws Exception {
        pki.issueDevice("swu-intruder");
        HttpClient intruder = client(pki.loadDevice("swu-intruder"));
        HttpResponse<String> r = intruder.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + localPort
                + "/DEFAULT/controller/v1/" + DEVICE)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        HttpClient anonymous = HttpClient.newBuilder().sslContext(sslContext(null)).build();
        assertThrows(IOException.class, () -> anonymous.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                + localPort + "/DEFAULT/controller/v1/" + DEVICE)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aDeviceRevokedOnTheBackendIsRefusedByTheGatewaysEndpoint() throws Exception {
        pki.issueDevice("swu-revoked");
        HttpClient device = client(pki.loadDevice("swu-revoked"));
        HttpRequest poll = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + localPort
                + "/DEFAULT/controller/v1/swu-revoked")).build();
        // Good and not a configured controller: past the revocation check, then 404.
        assertEquals(404, device.send(poll, HttpResponse.BodyHandlers.ofString()).statusCode());
        String serial = pki.loadDevice("swu-revoked").chain().get(0).getSerialNumber().toString(16);
        mgmt.revoke("keyCompromise", serial);
        // The gateway reads the backend's CRL again after crlRefreshSeconds (1 s here).
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        HttpResponse<String> r;
        do {
            Thread.sleep(200);
            r = device.send(poll, HttpResponse.BodyHandlers.ofString());
        } while (r.statusCode() != 403 && System.nanoTime() < deadline);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("DEVICE_CERT_REVOKED: "), r.body());
        gateway.awaitLine(l -> l.contains("device certificate refused: DEVICE_CERT_REVOKED"), TIMEOUT);
        assertEquals(200, client(pki.loadDevice(DEVICE)).send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + localPort
                + "/DEFAULT/controller/v1/" + DEVICE)).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                "the other device still polls");
    }

    private JsonNode publishAndAwait(Path archive) throws Exception {
        long releaseId = mgmt.uploadRelease(archive).path("id").asLong();
        return watcher.awaitClosed(mgmt.assign(GATEWAY, releaseId), TIMEOUT);
    }

    /** The device's suricatta file: the gateway's endpoint, the gateway-local CA it pins, its fleet certificate. */
    private Path deviceConfig(Path device) throws Exception {
        Path[] credential = ToolFiles.write(pki.loadDevice(DEVICE), device, DEVICE, false);
        return SwupdateProcess.writeConfig(device.resolve("swupdate.cfg"), "https://127.0.0.1:" + localPort, "DEFAULT", DEVICE,
                localCa, credential[1], credential[0]);
    }

    private JsonNode poll(URI gatewayDdi) throws Exception {
        HttpResponse<String> r = client(pki.loadDevice(DEVICE)).send(HttpRequest.newBuilder(
                gatewayDdi.resolve("/DEFAULT/controller/v1/" + DEVICE)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }

    private long cacheEntries() throws IOException {
        Path cache = home.dir().resolve("state/local-ddi-cache");
        if (!Files.isDirectory(cache)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}")).count();
        }
    }

    private HttpClient client(ProtectedKeyStore identity) throws Exception {
        return HttpClient.newBuilder().sslContext(sslContext(identity)).build();
    }

    private SSLContext sslContext(ProtectedKeyStore identity) throws Exception {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        anchors.setCertificateEntry("local-ca", PemCertificates.read(localCa).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (identity != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity.keyStore(), identity.password());
        }
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
