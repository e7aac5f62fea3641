package io.gantry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.backend.BackendServer;
import io.gantry.backend.mqtt.DeviceCommand;
import io.gantry.backend.mqtt.DeviceStatusBoard;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import io.gantry.testing.fleet.GatewayHome;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.ReleaseFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@link MqttPushIT} (embedded broker) and {@link MosquittoPushIT} (external broker) both prove
 * once the backend is up with its broker: the real gateway, with the backend asking for a poll every
 * hour, connects its MQTT transport; an assignment's {@code checkIn} push makes it poll at once,
 * install and report; its {@code status/push} reaches the backend and says how soon the poll was
 * answered.
 */
final class CheckInPushScenario {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Without a push the gateway would poll again only after this. */
    static final Duration POLLING_INTERVAL = Duration.ofHours(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckInPushScenario() {
    }

    /**
     * @param via how the push travels, for the printed measurement
     * @param brokerUri the broker the gateway's transport connects to
     * @param statuses where the backend sees what devices publish
     * @param lastPushed the last command the backend published to a device
     */
    static void run(String via, Path work, PkiDirectory pki, Path trust, ReleaseFixture releases, BackendServer backend,
            String gateway, String brokerUri, DeviceStatusBoard statuses,
            Function<String, Optional<DeviceCommand>> lastPushed) throws Exception {
        ManagementClient mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
        ActionWatcher watcher = new ActionWatcher(mgmt, System.out);
        GatewayHome home = GatewayHome.provision(work.resolve("gateway"), pki, gateway, trust, backend.baseUri(),
                List.of("sensor-1"));
        home.mqtt(brokerUri);
        Path dist = Path.of(System.getProperty("gantry.gateway.dist"));
        try (GatewayProcess process = GatewayProcess.start(dist, home.dir(), System.out::println)) {
            process.awaitLine(l -> l.contains("Felix started"), TIMEOUT);
            watcher.awaitCheckIn(gateway, TIMEOUT);
            String status = "gantry/v1/devices/" + gateway + "/status/";
            assertTrue(statuses.await(gateway, status + "online", TIMEOUT).isPresent(),
                    "the transport bundle never connected to the broker");

            long release = mgmt.uploadRelease(releases.firmwareRelease("1.1.0")).path("id").asLong();
            long action = mgmt.assign(gateway, release);
            DeviceStatusBoard.DeviceStatus pushed = statuses.await(gateway, status + "push", TIMEOUT)
                    .orElseThrow(() -> new AssertionError("no status/push from the gateway"));
            DeviceCommand command = lastPushed.apply(gateway).orElseThrow();
            JsonNode report = JSON.readTree(pushed.payload());
            assertEquals(DeviceCommand.CHECK_IN, command.type());
            assertEquals(action, command.id());
            assertEquals("checkIn", report.path("command").asText(), pushed.payload());
            assertEquals(action, report.path("actionId").asLong(), pushed.payload());
            assertTrue(report.path("polled").asBoolean(), pushed.payload());
            Duration roundTrip = Duration.between(command.issuedAt(), pushed.receivedAt());
            System.out.printf("MQTT checkIn push %s: gateway's poll answered %d ms after the command arrived; its status "
                    + "reached the backend %d ms after the push (polling interval %s)%n", via, report.path("pollMs").asLong(),
                    roundTrip.toMillis(), POLLING_INTERVAL);
            // The poll happened before the status was sent: at most the round trip, against an hour without the push.
            assertTrue(roundTrip.compareTo(POLLING_INTERVAL.dividedBy(60)) < 0, "push to status took " + roundTrip);

            JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
            assertEquals("FINISHED", closed.path("status").asText(), closed.toString());
            assertEquals("1.1.0", home.sensorState("sensor-1").getProperty("version"));
        }
    }
}
