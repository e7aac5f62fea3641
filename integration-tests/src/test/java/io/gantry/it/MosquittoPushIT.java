package io.gantry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.ServiceSettings;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.mqtt.DeviceCommand;
import io.gantry.backend.mqtt.DeviceStatusBoard;
import io.gantry.backend.mqtt.ExternalBroker;
import io.gantry.backend.mqtt.ExternalBrokerConfig;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.fleet.GatewayHome;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.MosquittoProcess;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As {@link MqttPushIT}, with Debian's Mosquitto as the external broker (docs/mqtt.md, "External
 * broker"): the backend publishes there as its push identity, the transport bundle inside the real
 * gateway connects there with its device certificate; with the backend asking for a poll every
 * hour, an assignment's {@code checkIn} makes the gateway poll at once, install and report, and the
 * transport's {@code status/push} reaches the backend through Mosquitto.
 */
class MosquittoPushIT {
    static final String GATEWAY = "gw-mosquitto";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Without a push the gateway would poll again only after this. */
    static final Duration POLLING_INTERVAL = Duration.ofHours(1);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void aCheckInPushMakesTheGatewayPollAtOnceAndItsStatusReachesTheBackend() throws Exception {
        Clock clock = Clock.systemUTC();
        int revocationPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            revocationPort = s.getLocalPort();
        }
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:" + revocationPort), clock);
        pki.issueDevice(GATEWAY);
        Path pushStore = pki.issuePushIdentity(MosquittoProcess.PUSH_IDENTITY);
        pki.issueOperator("operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), TrustRootFixture.hardFailPinning(pki.rootCaPem()),
                List.of("alice", "bob"), 0, 1);
        ReleaseFixture releases = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")),
                "alice", clock);
        try (MosquittoProcess mosquitto = MosquittoProcess.configure(work.resolve("mosquitto"), pki, null).start();
                BackendServer backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trust)
                .withPollingSleep(POLLING_INTERVAL).withRevocationPort(revocationPort), ServiceSettings.DEFAULT,
                EnrollmentConfig.fromPki(pki), null, MqttBrokerConfig.OFF, new ExternalBrokerConfig(URI.create(mosquitto.uri()),
                        pushStore, ExternalBrokerConfig.defaultPasswordFile(pushStore), pki.rootCaPem(), Duration.ofSeconds(5)), clock)) {
            ExternalBroker broker = backend.mqttClient().orElseThrow();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!broker.connected() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(broker.connected(), "the backend did not connect to Mosquitto");
            ManagementClient mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
            ActionWatcher watcher = new ActionWatcher(mgmt, System.out);
            GatewayHome home = GatewayHome.provision(work.resolve("gateway"), pki, GATEWAY, trust, backend.baseUri(),
                    List.of("sensor-1"));
            home.mqtt(mosquitto.uri());
            Path dist = Path.of(System.getProperty("gantry.gateway.dist"));
            try (GatewayProcess gateway = GatewayProcess.start(dist, home.dir(), System.out::println)) {
                gateway.awaitLine(l -> l.contains("Felix started"), TIMEOUT);
                watcher.awaitCheckIn(GATEWAY, TIMEOUT);
                String status = "gantry/v1/devices/" + GATEWAY + "/status/";
                assertTrue(broker.statuses().await(GATEWAY, status + "online", TIMEOUT).isPresent(),
                        "the transport bundle never connected to the broker");

                long release = mgmt.uploadRelease(releases.firmwareRelease("1.1.0")).path("id").asLong();
                long action = mgmt.assign(GATEWAY, release);
                DeviceStatusBoard.DeviceStatus pushed = broker.statuses().await(GATEWAY, status + "push", TIMEOUT)
                        .orElseThrow(() -> new AssertionError("no status/push from the gateway"));
                DeviceCommand command = broker.lastPushed(GATEWAY).orElseThrow();
                JsonNode report = JSON.readTree(pushed.payload());
                assertEquals(DeviceCommand.CHECK_IN, command.type());
                assertEquals(action, command.id());
                assertEquals("checkIn", report.path("command").asText(), pushed.payload());
                assertEquals(action, report.path("actionId").asLong(), pushed.payload());
                assertTrue(report.path("polled").asBoolean(), pushed.payload());
                Duration roundTrip = Duration.between(command.issuedAt(), pushed.receivedAt());
                System.out.printf("MQTT checkIn push via Mosquitto: gateway's poll answered %d ms after the command arrived; its status "
                        + "reached the backend %d ms after the push (polling interval %s)%n", report.path("pollMs").asLong(),
                        roundTrip.toMillis(), POLLING_INTERVAL);
                // The poll happened before the status was sent: at most the round trip, against an hour without the push.
                assertTrue(roundTrip.compareTo(POLLING_INTERVAL.dividedBy(60)) < 0, "push to status took " + roundTrip);

                JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
                assertEquals("FINISHED", closed.path("status").asText(), closed.toString());
                assertEquals("1.1.0", home.sensorState("sensor-1").getProperty("version"));
            }
        }
    }
}
