package io.gantry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.release.ReleaseKind;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.fleet.BundleRebuild;
import io.gantry.testing.fleet.GatewayHome;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend stopped while the gateway is in the middle of an update, and started again on the
 * same data folder and port. The gateway (its own JVM) replaces its verifier by signed release; the
 * backend goes away while the new bundle set is on trial on the update coordinator. The gateway
 * keeps running and retries its polls with backoff; once the backend is back, the transaction
 * commits, the action ends FINISHED, and the release was verified and handed over once. An outage
 * longer than the health deadline reverts the set while offline, and that verdict is reported once
 * the backend is back. A later release then installs as usual.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackendRestartIT {
    static final String GATEWAY = "gw-offline";
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final PrintStream LOG = System.out;
    static final String VERIFIER = "io.gantry.verifier";
    static final String POLL_FAILED = "poll failed (";

    @TempDir
    static Path work;
    Path dist = Path.of(System.getProperty("gantry.gateway.dist"));
    Clock clock = Clock.systemUTC();
    PkiDirectory pki;
    BackendConfig config;
    BackendServer backend;
    ManagementClient mgmt;
    ActionWatcher watcher;
    ReleaseFixture trusted;
    GatewayHome home;
    GatewayProcess gateway;

    @BeforeAll
    void startBackendAndGateway() throws Exception {
        int revocationPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            revocationPort = s.getLocalPort();
        }
        pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:" + revocationPort), clock);
        pki.issueDevice(GATEWAY);
        pki.issueOperator("operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), List.of("alice", "bob"), 0, 1);
        trusted = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")), "alice", clock);
        config = BackendConfig.fromPki(work.resolve("backend"), pki, trust)
                .withPollingSleep(Duration.ofSeconds(1)).withRevocationPort(revocationPort);
        backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), clock);
        // The restarted backend must be found where the gateway knows it: the same port.
        config = config.withPort(backend.port());
        mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
        watcher = new ActionWatcher(mgmt, LOG);
        home = GatewayHome.provision(work.resolve("gateway"), pki, GATEWAY, trust, backend.baseUri(), List.of("sensor-1"));
        // A soak period long enough for the backend to go away while the new set is on trial; the
        // gates stay the production ones (components and backend), with their 30 s deadline.
        home.coordinatorSettings("soakSeconds=8", "soakCheckSeconds=1");
        gateway = GatewayProcess.start(dist, home.dir(), LOG::println, "-Dgantry.gateway.listBundles=true");
        gateway.awaitLine(l -> l.startsWith("[gateway] running " + VERIFIER + " "), TIMEOUT);
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
    @Order(1)
    void backendStoppedWhileTheNewSetIsOnTrialThenRestartedOnTheSameData() throws Exception {
        Path jar = BundleRebuild.of(VERIFIER).version("0.2.1").revisionProbe("offline").build(work.resolve("revisions"));
        Path release = trusted.signed(VERIFIER, "0.2.1", ReleaseKind.BUNDLE, "gantry-gateway", VERIFIER + ".jar", jar);
        long action = mgmt.assign(GATEWAY, mgmt.uploadRelease(release).path("id").asLong());
        gateway.awaitLine(l -> l.contains("on trial until the soak period ends"), TIMEOUT);

        backend.close();
        long stopped = System.nanoTime();
        LOG.println("[BackendRestartIT] backend stopped while action " + action + " is on trial");
        gateway.awaitLine(l -> l.contains(POLL_FAILED + "3 in a row"), TIMEOUT);
        assertTrue(gateway.isAlive(), "the gateway keeps running without its backend");
        gateway.awaitLine(l -> l.contains("revision " + VERIFIER + ":offline"), TIMEOUT);

        backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), clock);
        LOG.println("[BackendRestartIT] backend restarted on port " + backend.port() + " after "
                + Duration.ofNanos(System.nanoTime() - stopped).toMillis() + " ms; poll waits: " + pollWaits());
        JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
        assertEquals("FINISHED", closed.path("status").asText(), closed.toString());
        assertAppliedOnce(action, "0.2.1");
        assertEquals(1, count(l -> l.contains("transaction action-" + action + ": io.gantry.verifier 0.2.1 committed")));
    }

    /**
     * An outage longer than the health deadline: the backend gate fails during the soak period, the
     * coordinator restores the previous verifier while the gateway is offline, and the failure,
     * decided offline, reaches the backend once it is back: ERROR with HEALTH_CHECK_FAILED.
     */
    @Test
    @Order(2)
    void anOutageLongerThanTheHealthDeadlineRevertsAndIsReportedOnceTheBackendIsBack() throws Exception {
        gateway.close();
        home.coordinatorSettings("soakSeconds=8", "soakCheckSeconds=1", "healthDeadlineSeconds=3");
        gateway = GatewayProcess.start(dist, home.dir(), LOG::println, "-Dgantry.gateway.listBundles=true");
        gateway.awaitLine(l -> l.startsWith("[gateway] running " + VERIFIER + " 0.2.1 "), TIMEOUT);
        Path jar = BundleRebuild.of(VERIFIER).version("0.2.2").revisionProbe("offline2").build(work.resolve("revisions"));
        Path release = trusted.signed(VERIFIER, "0.2.2", ReleaseKind.BUNDLE, "gantry-gateway", VERIFIER + ".jar", jar);
        long action = mgmt.assign(GATEWAY, mgmt.uploadRelease(release).path("id").asLong());
        gateway.awaitLine(l -> l.contains("transaction action-" + action + ": healthy; on trial"), TIMEOUT);

        backend.close();
        gateway.awaitLine(l -> l.contains("transaction action-" + action + ": previous set restored (HEALTH_CHECK_FAILED)"),
                TIMEOUT);
        assertTrue(gateway.isAlive(), "the gateway keeps running without its backend");

        backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), clock);
        JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
        assertEquals("ERROR", closed.path("status").asText(), closed.toString());
        assertTrue(closed.toString().contains("HEALTH_CHECK_FAILED"), closed.toString());
        assertAppliedOnce(action, "0.2.2");
    }

    /** Downloaded, verified and staged once, never refused as a replay. */
    private void assertAppliedOnce(long action, String version) {
        assertEquals(1, count(l -> l.contains("action " + action + ": downloading")), gateway.lines().toString());
        assertEquals(1, count(l -> l.contains("verified " + VERIFIER + " " + version + " ")), gateway.lines().toString());
        assertEquals(1, count(l -> l.contains("transaction action-" + action + ": " + VERIFIER + " " + version + " staged")));
        assertEquals(0, count(l -> l.contains("ROLLBACK")), gateway.lines().toString());
        assertEquals(0, count(l -> l.contains("action " + action + " failed")), gateway.lines().toString());
    }

    @Test
    @Order(3)
    void afterTheOutageALaterReleaseInstallsAsUsual() throws Exception {
        long action = mgmt.assign(GATEWAY, mgmt.uploadRelease(trusted.firmwareRelease("1.1.0")).path("id").asLong());
        JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
        assertEquals("FINISHED", closed.path("status").asText(), closed.toString());
        assertEquals("1.1.0", home.sensorState("sensor-1").getProperty("version"));
    }

    private long count(Predicate<String> match) {
        return gateway.lines().stream().filter(match).count();
    }

    /** The "next in N s" of each failed poll, in order: the backoff the gateway chose. */
    private List<String> pollWaits() {
        return gateway.lines().stream().filter(l -> l.contains(POLL_FAILED))
                .map(l -> l.replaceAll(".*next in ([0-9.,]+) s.*", "$1")).toList();
    }
}
