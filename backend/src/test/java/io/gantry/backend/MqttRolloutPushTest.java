package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts push too (docs/mqtt.md): a device the scheduler starts, the canary and then each device
 * of the next group, receives {@code checkIn} for its action, and the action is already committed
 * when the message arrives (the poll it triggers is offered that very action); a rollout cancel
 * pushes {@code cancel} to each device whose open action it cancels, and the poll then offers
 * {@code cancelAction}. Real broker, real mutual TLS, Paho v5 clients with the devices' certificates.
 */
class MqttRolloutPushTest {
    private static final String SUCCESS = "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}";
    @TempDir
    static Path tmp;
    private static BackendFixture backend;
    private static HttpClient operator;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp, c -> c, null, MqttBrokerConfig.on("127.0.0.1", 0));
        operator = backend.operator("ops");
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    private static MqttDevice online(String id) throws Exception {
        HttpClient device = backend.device(id);
        assertEquals(200, get(device, backend.controller(id)).statusCode(), "first poll");
        assertEquals(200, postJson(operator, backend.uri("/rest/v1/targets/" + id + "/tags"), "{\"add\":[\"push-wave\"]}")
                .statusCode());
        MqttDevice mqtt = new MqttDevice(backend.server.mqttBroker().orElseThrow().uri(), id, backend.pki.loadDevice(id),
                backend.pki.rootCaPem());
        assertEquals(1, mqtt.subscribe("gantry/v1/devices/" + id + "/cmd/#"));
        return mqtt;
    }

    /** @return the command's JSON, checking its topic and type */
    private static JsonNode command(MqttDevice device, String id, String type) throws Exception {
        String message = device.next();
        assertNotNull(message, id + " got no " + type + " within 10 s");
        assertTrue(message.startsWith("gantry/v1/devices/" + id + "/cmd/" + type + " "), message);
        JsonNode command = BackendFixture.JSON.readTree(message.substring(message.indexOf(' ') + 1));
        assertEquals(type, command.get("type").asText());
        return command;
    }

    /** @return the poll's links, as the device sees them right after the push */
    private static JsonNode links(String id) throws Exception {
        return json(get(backend.device(id), backend.controller(id))).path("_links");
    }

    @Test
    void actionsARolloutStartsOrCancelsArePushedAfterTheyCommitted() throws Exception {
        try (MqttDevice canary = online("push-01"); MqttDevice second = online("push-02")) {
            HttpResponse<String> up = backend.upload(operator, backend.good("fw-push-rollout", "3.0.0",
                    Map.of("fw.bin", new byte[] {7, 7})));
            assertEquals(201, up.statusCode(), up.body());
            HttpResponse<String> created = postJson(operator, backend.uri("/rest/v1/rollouts"), "{\"name\":\"push\",\"releaseId\":"
                    + json(up).get("id").asLong() + ",\"filter\":{\"tags\":[\"push-wave\"]},\"canary\":1,\"percentages\":[100]}");
            assertEquals(201, created.statusCode(), created.body());
            long rollout = json(created).get("id").asLong();

            // The scheduler (ticking each second) starts the canary and pushes; the poll it triggers finds the action.
            long canaryAction = command(canary, "push-01", "checkIn").get("actionId").asLong();
            assertTrue(links("push-01").at("/deploymentBase/href").asText().contains("/deploymentBase/" + canaryAction),
                    "the pushed action is committed and offered");
            assertNull(second.received.poll(), "the second group waits for the canary");

            assertEquals(200, postJson(backend.device("push-01"),
                    URI.create(backend.controller("push-01") + "/deploymentBase/" + canaryAction + "/feedback"), SUCCESS).statusCode());
            long secondAction = command(second, "push-02", "checkIn").get("actionId").asLong();
            assertTrue(links("push-02").at("/deploymentBase/href").asText().contains("/deploymentBase/" + secondAction));

            HttpResponse<String> cancel = postJson(operator, backend.uri("/rest/v1/rollouts/" + rollout + "/cancel"), "");
            assertEquals(200, cancel.statusCode(), cancel.body());
            assertEquals(secondAction, command(second, "push-02", "cancel").get("actionId").asLong());
            assertTrue(links("push-02").has("cancelAction"), "the pushed cancel is committed");
            assertNull(canary.received.poll(), "the canary's action was closed: nothing to cancel, no push");
        }
    }
}
