package io.gantry.backend;

import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.AlertSeverity;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.config.DatabaseSettings;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.backend.mqtt.OutboxRelay;
import io.gantry.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two backend nodes on one PostgreSQL database (in both Surefire runs: an embedded H2 database
 * cannot be shared by two processes), each with its own embedded MQTT broker, sharing data folder,
 * PKI and trust root: node A in a JVM of its own, node B in the test's. A device connected to one
 * node's broker receives the commands for changes made through the other node, through the push
 * outbox ({@link OutboxRelay}, read every {@value OutboxRelay#INTERVAL_MILLIS} ms), each exactly once, and
 * an operator subscribed on one node's broker gets the fleet alerts the other node raised.
 */
class TwoNodePushTest {
    @TempDir
    static Path tmp;
    static BackendFixture nodeB;
    static BackendNodeProcess nodeA;
    static HttpClient operator;
    static long releaseId;

    @BeforeAll
    static void start() throws Exception {
        DatabaseSettings db = DatabaseSettings.postgresql(TestPostgres.createDatabase(), TestPostgres.USER, TestPostgres.PASSWORD);
        nodeB = new BackendFixture(tmp, c -> c.withDatabase(db), null, UnaryOperator.identity(), MqttBrokerConfig.on("127.0.0.1", 0));
        nodeA = BackendNodeProcess.start(nodeB.config.dataDir(), tmp.resolve("pki"), nodeB.config.releaseTrustRoot(), db,
                tmp.resolve("node-a.log"), true);
        operator = nodeB.operator("ops");
        HttpResponse<String> up = nodeB.upload(operator, nodeB.good("fw-two-node-push", "1.0.0", Map.of("fw.bin", new byte[] {1})));
        assertEquals(201, up.statusCode(), up.body());
        releaseId = json(up).get("id").asLong();
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
    }

    private static MqttDevice online(String brokerUri, String id) throws Exception {
        nodeB.device(id);
        MqttDevice d = new MqttDevice(brokerUri, id, nodeB.pki.loadDevice(id), nodeB.pki.rootCaPem());
        assertEquals(1, d.subscribe("gantry/v1/devices/" + id + "/cmd/#"));
        return d;
    }

    private static JsonNode command(MqttDevice device, String id, String type) throws Exception {
        String message = device.next();
        assertNotNull(message, id + " got no " + type + " within 10 s");
        assertTrue(message.startsWith("gantry/v1/devices/" + id + "/cmd/" + type + " "), message);
        return BackendFixture.JSON.readTree(message.substring(message.indexOf(' ') + 1));
    }

    private static long assign(URI node, String id) throws Exception {
        HttpResponse<String> r = postJson(operator, node.resolve("/rest/v1/targets/" + id + "/actions"), "{\"releaseId\":" + releaseId + "}");
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("actionId").asLong();
    }

    @Test
    void aDeviceOnNodeAsBrokerIsPushedForChangesMadeOnNodeBExactlyOnce() throws Exception {
        try (MqttDevice device = online(nodeA.mqttUri(), "tn-on-a")) {
            long before = System.nanoTime();
            long action = assign(nodeB.uri("/"), "tn-on-a");
            assertEquals(action, command(device, "tn-on-a", "checkIn").get("actionId").asLong());
            System.out.printf("two nodes: assignment on node B to checkIn at a device on node A's broker: %d ms%n",
                    (System.nanoTime() - before) / 1_000_000);
            HttpResponse<String> cancel = postJson(operator, nodeB.uri("/rest/v1/actions/" + action + "/cancel"), "{}");
            assertEquals(200, cancel.statusCode(), cancel.body());
            // Node A relays in outbox order: a second copy of the checkIn would arrive before the cancel.
            assertEquals(action, command(device, "tn-on-a", "cancel").get("actionId").asLong());
        }
    }

    @Test
    void anOperatorOnNodeAsBrokerGetsAFleetAlertNodeBRaised() throws Exception {
        try (MqttDevice ops = new MqttDevice(nodeA.mqttUri(), "ops", nodeB.pki.loadOperator("ops"), nodeB.pki.rootCaPem())) {
            assertEquals(1, ops.subscribe("gantry/v1/fleet/alerts"));
            nodeB.server.alerts().reconcile(Set.of(AlertKind.DEVICE_SILENT),
                    List.of(Finding.of(AlertKind.DEVICE_SILENT, "tn-silent", AlertSeverity.WARNING, "tn-silent is silent")));
            String alert = ops.next();
            assertNotNull(alert, "no fleet alert on node A's broker within 10 s");
            JsonNode json = BackendFixture.JSON.readTree(alert.substring(alert.indexOf(' ') + 1));
            assertEquals("OPENED", json.get("change").asText(), alert);
            assertEquals("tn-silent", json.get("subject").asText(), alert);
        }
    }

    @Test
    void aDeviceOnNodeBsBrokerIsPushedForChangesMadeOnNodeA() throws Exception {
        try (MqttDevice device = online(nodeB.server.mqttBroker().orElseThrow().uri(), "tn-on-b")) {
            long before = System.nanoTime();
            long action = assign(nodeA.uri("/"), "tn-on-b");
            assertEquals(action, command(device, "tn-on-b", "checkIn").get("actionId").asLong());
            System.out.printf("two nodes: assignment on node A to checkIn at a device on node B's broker: %d ms%n",
                    (System.nanoTime() - before) / 1_000_000);
        }
    }
}
