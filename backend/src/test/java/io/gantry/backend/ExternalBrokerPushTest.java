package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.mqtt.DeviceCommand;
import io.gantry.backend.mqtt.DeviceStatusBoard;
import io.gantry.backend.mqtt.ExternalBroker;
import io.gantry.backend.mqtt.ExternalBrokerConfig;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.testing.fleet.MosquittoProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend publishing to Debian's Mosquitto (docs/mqtt.md, "External broker") as its push
 * identity {@code backend:gantry-push}, over mutual TLS, checking the broker's certificate against the PKI
 * root: it starts while the broker is down and connects once it is up; an assignment and a rollout
 * reach a device subscribed on Mosquitto; a device's status reaches the backend's status board;
 * another device reads neither; a broker taken away fails no management request, and once it is
 * back the backend reconnects and pushes again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExternalBrokerPushTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static MosquittoProcess mosquitto;
    static HttpClient operator;
    static long releaseId;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp, UnaryOperator.identity(), null, s -> s.withMetrics("127.0.0.1", 0, Duration.ZERO),
                MqttBrokerConfig.OFF, pki -> {
            Path store = pki.issuePushIdentity(MosquittoProcess.PUSH_IDENTITY);
            mosquitto = MosquittoProcess.configure(tmp.resolve("mosquitto"), pki, null);
            return new ExternalBrokerConfig(URI.create(mosquitto.uri()), store, ExternalBrokerConfig.defaultPasswordFile(store),
                    pki.rootCaPem(), Duration.ofSeconds(1));
        });
        operator = backend.operator("ops");
        HttpResponse<String> up = backend.upload(operator, backend.good("fw-external", "2.0.0", Map.of("fw.bin", new byte[] {4, 2})));
        assertEquals(201, up.statusCode(), up.body());
        releaseId = json(up).get("id").asLong();
    }

    @AfterAll
    static void stop() throws Exception {
        if (backend != null) {
            backend.close();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    private static ExternalBroker client() {
        return backend.server.mqttClient().orElseThrow();
    }

    /** @return the value of the metric line starting with {@code series} on the backend's /metrics */
    private static double metric(String series) throws Exception {
        String text = HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(backend.server.metricsUri()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }

    private static void awaitConnected() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!client().connected() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertTrue(client().connected(), "the backend did not (re)connect to Mosquitto within 20 s");
    }

    private static MqttDevice device(String id, String... filters) throws Exception {
        HttpClient https = backend.device(id);
        assertEquals(200, get(https, backend.controller(id)).statusCode(), "first poll");
        MqttDevice d = new MqttDevice(mosquitto.uri(), id, backend.pki.loadDevice(id), backend.pki.rootCaPem());
        for (String filter : filters) {
            assertTrue(d.subscribe(filter) <= 1, filter);
        }
        return d;
    }

    private static long assign(String id) throws Exception {
        HttpResponse<String> r = postJson(operator, backend.uri("/rest/v1/targets/" + id + "/actions"), "{\"releaseId\":" + releaseId + "}");
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("actionId").asLong();
    }

    private static JsonNode command(MqttDevice device, String id, String type) throws Exception {
        String message = device.next();
        assertNotNull(message, id + " got no " + type + " within 10 s");
        assertTrue(message.startsWith("gantry/v1/devices/" + id + "/cmd/" + type + " "), message);
        return BackendFixture.JSON.readTree(message.substring(message.indexOf(' ') + 1));
    }

    @Test
    @Order(1)
    void aBrokerThatIsDownFailsNoRequestAndIsConnectedOnceItIsUp() throws Exception {
        assertFalse(client().connected(), "Mosquitto is not running yet");
        assertEquals(0, metric("gantry_mqtt_external_connected"));
        assign("ext-early");
        assertEquals(1, metric("gantry_mqtt_external_publishes_total{result=\"not_connected\"}"));
        mosquitto.start();
        awaitConnected();
        assertEquals(1, metric("gantry_mqtt_external_connected"));
    }

    @Test
    @Order(2)
    void anAssignmentReachesTheDeviceOnMosquittoAndItsStatusReachesTheBackend() throws Exception {
        try (MqttDevice a = device("ext-a", "gantry/v1/devices/ext-a/cmd/#")) {
            long before = System.nanoTime();
            long action = assign("ext-a");
            JsonNode checkIn = command(a, "ext-a", "checkIn");
            long pushMs = (System.nanoTime() - before) / 1_000_000;
            assertEquals(action, checkIn.get("actionId").asLong());
            System.out.printf("external broker: assignment request to checkIn at the device via Mosquitto: %d ms%n", pushMs);

            String topic = "gantry/v1/devices/ext-a/status/push";
            assertTrue(a.publish(topic, "{\"command\":\"checkIn\",\"actionId\":" + action + ",\"polled\":true,\"pollMs\":1}") < 0x80);
            DeviceStatusBoard.DeviceStatus status = client().statuses().await("ext-a", topic, Duration.ofSeconds(10)).orElseThrow(
                    () -> new AssertionError("the device's status did not reach the backend"));
            assertTrue(status.payload().contains("\"actionId\":" + action), status.payload());
            long roundTripMs = (System.nanoTime() - before) / 1_000_000;
            DeviceCommand pushed = client().lastPushed("ext-a").orElseThrow();
            assertEquals(action, pushed.id());
            System.out.printf("external broker: assignment request to the device's status/push back at the backend: %d ms%n",
                    roundTripMs);
        }
    }

    @Test
    @Order(3)
    void anotherDeviceReadsNeitherCommandsNorStatusesAndCannotForgeAStatus() throws Exception {
        try (MqttDevice a = device("ext-c", "gantry/v1/devices/ext-c/cmd/#");
                MqttDevice b = device("ext-d", "gantry/v1/devices/ext-d/cmd/#", "gantry/v1/devices/+/cmd/#",
                        "gantry/v1/devices/+/status/#", "gantry/v1/devices/ext-c/#")) {
            long forC = assign("ext-c");
            assertEquals(forC, command(a, "ext-c", "checkIn").get("actionId").asLong());
            assertTrue(a.publish("gantry/v1/devices/ext-c/status/online", "{\"online\":true}") < 0x80);
            client().statuses().await("ext-c", "gantry/v1/devices/ext-c/status/online", Duration.ofSeconds(10)).orElseThrow();
            int forged = b.publish("gantry/v1/devices/ext-c/status/online", "{\"forged\":true}");
            assertTrue(forged >= 0x80 || forged < 0, "forged status accepted: " + forged);
            // Mosquitto queues messages for B in the order it handled them: C's command and status came
            // before B's own command, so B's next message would be one of them if it could read them.
            long forD = assign("ext-d");
            assertEquals(forD, command(b, "ext-d", "checkIn").get("actionId").asLong());
            assertTrue(b.publish("gantry/v1/devices/ext-d/status/online", "{\"online\":true}") < 0x80);
            client().statuses().await("ext-d", "gantry/v1/devices/ext-d/status/online", Duration.ofSeconds(10)).orElseThrow();
            assertEquals("{\"online\":true}", client().statuses().last("ext-c").orElseThrow().payload(),
                    "the forged status never reached the backend (B's later status did)");
        }
    }

    @Test
    @Order(4)
    void aRolloutsPushGoesThroughMosquitto() throws Exception {
        try (MqttDevice canary = device("ext-r", "gantry/v1/devices/ext-r/cmd/#")) {
            assertEquals(200, postJson(operator, backend.uri("/rest/v1/targets/ext-r/tags"), "{\"add\":[\"ext-wave\"]}").statusCode());
            HttpResponse<String> created = postJson(operator, backend.uri("/rest/v1/rollouts"), "{\"name\":\"ext\",\"releaseId\":"
                    + releaseId + ",\"filter\":{\"tags\":[\"ext-wave\"]},\"canary\":1,\"percentages\":[100]}");
            assertEquals(201, created.statusCode(), created.body());
            long action = command(canary, "ext-r", "checkIn").get("actionId").asLong();
            assertTrue(json(get(backend.device("ext-r"), backend.controller("ext-r"))).at("/_links/deploymentBase/href").asText()
                    .contains("/deploymentBase/" + action), "the pushed action is the one the poll offers");
        }
    }

    @Test
    @Order(5)
    void aBrokerTakenAwayFailsNoRequestAndTheBackendReconnects() throws Exception {
        mosquitto.stop();
        Instant deadline = Instant.now().plusSeconds(20);
        while (client().connected() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertFalse(client().connected(), "the backend noticed the broker is gone");
        assign("ext-gone");
        mosquitto.start();
        awaitConnected();
        try (MqttDevice e = device("ext-e", "gantry/v1/devices/ext-e/cmd/#")) {
            long action = assign("ext-e");
            assertEquals(action, command(e, "ext-e", "checkIn").get("actionId").asLong());
        }
    }
}
