package io.gantry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.fleet.GatewayHome;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices behind a real gateway JVM, end to end with the real backend: a firmware release for a
 * type reaches its three sensors; the one that never confirms its boot is rolled back to its old
 * slot and reported with BOOT_NOT_CONFIRMED; the backend's model of the gateway's devices, fed by
 * per-device progress and final lines, shows each device; the next attempt retries only that
 * device (the others are not flashed again), after which the release is complete and a replay is
 * ROLLBACK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevicesBehindGatewayIT {
    static final String GATEWAY = "gw-devices";
    static final List<String> SENSORS = List.of("sensor-1", "sensor-2", "sensor-3");
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final PrintStream LOG = System.out;

    @TempDir
    static Path work;
    Path dist = Path.of(System.getProperty("gantry.gateway.dist"));
    BackendServer backend;
    ManagementClient mgmt;
    ActionWatcher watcher;
    ReleaseFixture releases;
    GatewayHome home;
    GatewayProcess gateway;
    long releaseId;

    @BeforeAll
    void startBackendAndGateway() throws Exception {
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
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), TrustRootFixture.hardFailPinning(pki.rootCaPem()),
                List.of("alice", "bob"), 0, 1);
        releases = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")), "alice", clock);
        backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trust)
                .withPollingSleep(Duration.ofSeconds(1)).withRevocationPort(revocationPort), EnrollmentConfig.fromPki(pki), clock);
        mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
        watcher = new ActionWatcher(mgmt, LOG);
        home = GatewayHome.provision(work.resolve("gateway"), pki, GATEWAY, trust, backend.baseUri(), SENSORS);
        gateway = GatewayProcess.start(dist, home.dir(), LOG::println);
        gateway.awaitLine(l -> l.contains("Felix started"), TIMEOUT);
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

    private Map<String, JsonNode> devices() throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode d : mgmt.target(GATEWAY).path("devices")) {
            byId.put(d.path("deviceId").asText(), d);
        }
        return byId;
    }

    private FileTime flashed(String sensor) throws Exception {
        return Files.getLastModifiedTime(home.dir().resolve("sensors").resolve(sensor).resolve("slot-b.img"));
    }

    @Test
    @Order(1)
    void aDeviceThatNeverConfirmsItsBootIsRolledBackAndTheOthersKeepTheRelease() throws Exception {
        home.injectSensorFault("sensor-3", "NO_CONFIRMATION");
        JsonNode release = mgmt.uploadRelease(releases.firmwareRelease("1.1.0"));
        releaseId = release.path("id").asLong();
        JsonNode action = watcher.awaitClosed(mgmt.assign(GATEWAY, releaseId), TIMEOUT);
        assertEquals("ERROR", action.path("status").asText(), action.toString());
        JsonNode history = action.path("history");
        String last = history.get(history.size() - 1).path("details").toString();
        assertTrue(last.contains("SOME_DEVICES_FAILED"), last);
        assertTrue(history.toString().contains("device=sensor-3 type=acme-sensor result=UPDATING"),
                "per-device progress reached the backend: " + history);

        assertEquals("1.1.0", home.sensorState("sensor-1").getProperty("version"));
        assertEquals("1.1.0", home.sensorState("sensor-2").getProperty("version"));
        Properties rolledBack = home.sensorState("sensor-3");
        assertEquals("1.0.0", rolledBack.getProperty("version"));
        assertEquals("a", rolledBack.getProperty("active"), "sensor-3 is back on slot A");
        assertEquals("1", rolledBack.getProperty("rollbacks"));

        Map<String, JsonNode> devices = devices();
        assertEquals(3, devices.size(), devices.toString());
        assertEquals("UPDATED", devices.get("sensor-1").path("lastResult").asText());
        assertEquals("1.1.0", devices.get("sensor-1").path("runningVersion").asText());
        assertEquals("acme-sensor", devices.get("sensor-1").path("type").asText());
        JsonNode failed = devices.get("sensor-3");
        assertEquals("FAILED", failed.path("lastResult").asText(), failed.toString());
        assertEquals("BOOT_NOT_CONFIRMED", failed.path("lastCode").asText());
        assertEquals("1.0.0", failed.path("runningVersion").asText());
        assertEquals("1.1.0", failed.path("lastRelease").asText());
        assertTrue(failed.path("lastMessage").asText().contains("rolled back to slot A"), failed.toString());
    }

    @Test
    @Order(2)
    void theNextAttemptRetriesOnlyTheFailedDevice() throws Exception {
        home.repairSensor("sensor-3");
        FileTime sensor1 = flashed("sensor-1");
        FileTime sensor2 = flashed("sensor-2");
        JsonNode action = watcher.awaitClosed(mgmt.assign(GATEWAY, releaseId), TIMEOUT);
        assertEquals("FINISHED", action.path("status").asText(), action.toString());
        assertEquals("1.1.0", home.sensorState("sensor-3").getProperty("version"));
        assertEquals("b", home.sensorState("sensor-3").getProperty("active"));
        assertEquals(sensor1, flashed("sensor-1"), "sensor-1 was not flashed again");
        assertEquals(sensor2, flashed("sensor-2"), "sensor-2 was not flashed again");
        Map<String, JsonNode> devices = devices();
        assertEquals("CURRENT", devices.get("sensor-1").path("lastResult").asText(), devices.toString());
        assertEquals("UPDATED", devices.get("sensor-3").path("lastResult").asText(), devices.toString());
        assertEquals("1.1.0", devices.get("sensor-3").path("runningVersion").asText());
    }

    @Test
    @Order(3)
    void aCompleteReleaseRaisesTheTypeFloorSoAReplayIsRollback() throws Exception {
        JsonNode action = watcher.awaitClosed(mgmt.assign(GATEWAY, releaseId), TIMEOUT);
        assertEquals("ERROR", action.path("status").asText());
        JsonNode history = action.path("history");
        assertTrue(history.get(history.size() - 1).path("details").toString().contains("ROLLBACK"), history.toString());
    }
}
