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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway JVM killed with SIGKILL at every step of a bundle-set transaction that replaces its
 * verifier (a genuinely rebuilt one, by signed release from a real backend). At the next start,
 * before any bundle runs, the launcher finishes the transaction: reverted to the exact previous
 * verifier when killed before the commit, committed when killed while committing, and reverted by
 * the boot counter once a set on trial used up its starts. The action is reported with the
 * coordinator's code, and the gateway keeps its identity and trust root (it checks in and a later
 * release installs).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrashRecoveryIT {
    static final String GATEWAY = "gw-crash";
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final PrintStream LOG = System.out;
    static final String VERIFIER = "io.gantry.verifier";

    @TempDir
    static Path work;
    Path dist = Path.of(System.getProperty("gantry.gateway.dist"));
    BackendServer backend;
    ManagementClient mgmt;
    ActionWatcher watcher;
    ReleaseFixture trusted;
    GatewayHome home;
    GatewayProcess gateway;
    int patch;

    @BeforeAll
    void startBackend() throws Exception {
        Clock clock = Clock.systemUTC();
        int revocationPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            revocationPort = s.getLocalPort();
        }
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:" + revocationPort), clock);
        pki.issueDevice(GATEWAY);
        pki.issueOperator("operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), List.of("alice", "bob"), 0, 1);
        trusted = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")), "alice", clock);
        backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trust)
                .withPollingSleep(Duration.ofSeconds(1)).withRevocationPort(revocationPort), EnrollmentConfig.fromPki(pki), clock);
        mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
        watcher = new ActionWatcher(mgmt, LOG);
        home = GatewayHome.provision(work.resolve("gateway"), pki, GATEWAY, trust, backend.baseUri(), List.of("sensor-1"));
    }

    /** A test that failed half way must not leave its gateway running on the home the next test uses. */
    @AfterEach
    void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
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

    @ParameterizedTest
    @ValueSource(strings = {"STAGED", "SWITCHING", "REFRESHED", "HEALTH_CHECKING"})
    @Order(1)
    void killedBeforeTheCommitIsRevertedAtTheNextStart(String step) throws Exception {
        String running = startGateway("-Dgantry.coordinator.pauseAt=" + step);
        long action = assignNewVerifier();
        gateway.awaitLine(l -> l.contains("paused at " + step), TIMEOUT);
        gateway.kill();

        startGateway();
        assertTrue(gateway.lines().contains("[gateway] coordinator: transaction action-" + action + " found at " + step
                + ": now REVERTED UPDATE_INTERRUPTED"), gateway.lines().toString());
        assertEquals(running, runningVersion(VERIFIER), "the exact previous verifier runs");
        JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
        assertEquals("ERROR", closed.path("status").asText(), closed.toString());
        assertTrue(closed.toString().contains("UPDATE_INTERRUPTED"), closed.toString());
        gateway.close();
    }

    @org.junit.jupiter.api.Test
    @Order(2)
    void killedWhileCommittingIsCommittedAtTheNextStart() throws Exception {
        startGateway("-Dgantry.coordinator.pauseAt=COMMITTING");
        long action = assignNewVerifier();
        String version = "0.2." + patch;
        gateway.awaitLine(l -> l.contains("paused at COMMITTING"), TIMEOUT);
        gateway.kill();

        startGateway();
        assertTrue(gateway.lines().contains("[gateway] coordinator: transaction action-" + action
                + " found at COMMITTING: now COMMITTED COMMITTED"), gateway.lines().toString());
        assertTrue(runningVersion(VERIFIER).startsWith(version), gateway.lines().toString());
        JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
        assertEquals("FINISHED", closed.path("status").asText(), closed.toString());
        gateway.awaitLine(l -> l.contains("revision " + VERIFIER + ":crash" + patch), TIMEOUT);
        gateway.close();
    }

    @org.junit.jupiter.api.Test
    @Order(3)
    void aSetOnTrialThatKeepsCrashingIsRevertedByTheBootCounter() throws Exception {
        home.coordinatorSettings("soakSeconds=600", "soakCheckSeconds=1", "maxTrialStarts=1");
        String running = startGateway();
        long action = assignNewVerifier();
        gateway.awaitLine(l -> l.contains("on trial until the soak period ends"), TIMEOUT);
        gateway.kill();

        startGateway();
        assertTrue(gateway.lines().stream().anyMatch(l -> l.contains("found at SOAKING: now SOAKING (trial start 1 of 1)")),
                gateway.lines().toString());
        gateway.kill();

        startGateway();
        assertTrue(gateway.lines().stream().anyMatch(l -> l.contains("found at SOAKING: now REVERTED BOOT_TRIALS_EXHAUSTED")),
                gateway.lines().toString());
        assertEquals(running, runningVersion(VERIFIER));
        JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
        assertEquals("ERROR", closed.path("status").asText(), closed.toString());
        assertTrue(closed.toString().contains("BOOT_TRIALS_EXHAUSTED"), closed.toString());
        home.coordinatorSettings("soakSeconds=3", "soakCheckSeconds=1");
        gateway.close();
    }

    @org.junit.jupiter.api.Test
    @Order(4)
    void afterEveryCrashTheGatewayStillHasItsIdentityAndTrustRoot() throws Exception {
        startGateway();
        long action = assignNewVerifier();
        JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
        assertEquals("FINISHED", closed.path("status").asText(), closed.toString());
    }

    /** Starts the gateway and waits for its check-in; @return the verifier version it runs */
    private String startGateway(String... jvmOptions) throws Exception {
        String[] options = new String[jvmOptions.length + 1];
        options[0] = "-Dgantry.gateway.listBundles=true";
        System.arraycopy(jvmOptions, 0, options, 1, jvmOptions.length);
        gateway = GatewayProcess.start(dist, home.dir(), LOG::println, options);
        gateway.awaitLine(l -> l.startsWith("[gateway] running " + VERIFIER + " "), TIMEOUT);
        return runningVersion(VERIFIER);
    }

    private String runningVersion(String bsn) {
        String prefix = "[gateway] running " + bsn + " ";
        return gateway.lines().stream().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b)
                .map(l -> l.substring(prefix.length()).split(" ")[0]).orElseThrow();
    }

    /** A genuinely rebuilt verifier under the next version, signed, uploaded and assigned. */
    private long assignNewVerifier() throws Exception {
        patch++;
        String version = "0.2." + patch;
        Path jar = BundleRebuild.of(VERIFIER).version(version).revisionProbe("crash" + patch).build(work.resolve("revisions"));
        Path release = trusted.signed(VERIFIER, version, ReleaseKind.BUNDLE, "gantry-gateway", VERIFIER + ".jar", jar);
        return mgmt.assign(GATEWAY, mgmt.uploadRelease(release).path("id").asLong());
    }
}
