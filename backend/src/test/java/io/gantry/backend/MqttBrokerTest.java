package io.gantry.backend;

import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.mqtt.DeviceStatusBoard;
import io.gantry.backend.mqtt.EmbeddedBroker;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded MQTT broker over real mutual TLS with certificates from the test PKI (docs/mqtt.md):
 * an assignment pushes {@code checkIn} to the device's own command topic; another device's
 * certificate can neither subscribe to nor publish on that device's topics; a client id other
 * than the certificate's CN and a revoked certificate are refused at
 * connect.
 */
class MqttBrokerTest {
    private static final int NOT_AUTHORIZED = 0x87;
    @TempDir
    static Path tmp;
    private static BackendFixture backend;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp, c -> c, null, MqttBrokerConfig.on("127.0.0.1", 0));
        broker = backend.server.mqttBroker().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    private static MqttDevice connect(String clientId, String certificateOf) throws Exception {
        if (!Files.exists(backend.pki.deviceKeyStore(certificateOf))) {
            backend.pki.issueDevice(certificateOf);
        }
        return new MqttDevice(broker.uri(), clientId, backend.pki.loadDevice(certificateOf), backend.pki.rootCaPem());
    }

    private static String topic(String device, String rest) {
        return "gantry/v1/devices/" + device + "/" + rest;
    }

    @Test
    void assignmentPushesCheckInToTheDeviceOnly() throws Exception {
        try (MqttDevice a = connect("gw-push", "gw-push"); MqttDevice other = connect("gw-other", "gw-other")) {
            assertEquals(1, a.subscribe(topic("gw-push", "cmd/#")));
            assertEquals(1, other.subscribe(topic("gw-other", "cmd/#")));
            long start = System.nanoTime();
            long[] ids = backend.uploadAndAssign(backend.operator("ops"),
                    backend.good("fw", "1.0.0", Map.of("fw.bin", new byte[] {1, 2, 3})), "gw-push");
            String message = a.next();
            assertNotNull(message, "no checkIn within 10 s");
            assertTrue(message.startsWith(topic("gw-push", "cmd/checkIn") + " "), message);
            assertEquals("checkIn", json(message).get("type").asText());
            assertEquals(ids[1], json(message).get("actionId").asLong());
            System.out.printf("MQTT checkIn received %d ms after the assignment request started%n",
                    (System.nanoTime() - start) / 1_000_000);

            HttpResponse<String> cancel = postJson(backend.operator("ops"), backend.uri("/rest/v1/actions/" + ids[1] + "/cancel"), "");
            assertEquals(200, cancel.statusCode(), cancel.body());
            String cancelled = a.next();
            assertNotNull(cancelled, "no cancel within 10 s");
            assertEquals("cancel", json(cancelled).get("type").asText());
            assertEquals(ids[1], json(cancelled).get("actionId").asLong());
            assertTrue(other.received.isEmpty(), "another device saw " + other.received);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String message) throws Exception {
        return BackendFixture.JSON.readTree(message.substring(message.indexOf(' ') + 1));
    }

    @Test
    void anotherDevicesCertificateCanNeitherReadNorWriteItsTopics() throws Exception {
        try (MqttDevice victim = connect("gw-victim", "gw-victim"); MqttDevice intruder = connect("gw-intruder", "gw-intruder")) {
            assertEquals(1, victim.subscribe(topic("gw-victim", "cmd/#")));
            // Read: subscribing to the victim's commands, or to everything, is refused in the SUBACK.
            assertEquals(NOT_AUTHORIZED, intruder.subscribe(topic("gw-victim", "cmd/#")));
            assertEquals(NOT_AUTHORIZED, intruder.subscribe("gantry/v1/devices/+/cmd/#"));
            assertEquals(NOT_AUTHORIZED, intruder.subscribe(topic("gw-victim", "status/#")));
            // Write: a forged command and a forged status are refused and never delivered or recorded.
            int forgedCommand = intruder.publish(topic("gw-victim", "cmd/checkIn"), "{\"type\":\"checkIn\",\"actionId\":666}");
            assertTrue(refused(forgedCommand), "forged command accepted: " + forgedCommand);
            assertTrue(backend.server.mqttBroker().orElseThrow().statuses().last("gw-victim").isEmpty());
            MqttDevice writer = intruder.connected() ? intruder : connect("gw-intruder", "gw-intruder");
            int forgedStatus = writer.publish(topic("gw-victim", "status/progress"), "{\"forged\":true}");
            assertTrue(refused(forgedStatus), "forged status accepted: " + forgedStatus);
            assertTrue(broker.statuses().last("gw-victim").isEmpty(), "forged status recorded");
            if (writer != intruder) {
                writer.close();
            }
            // The victim's own status is recorded, and the first command it receives is the backend's.
            int own = victim.publish(topic("gw-victim", "status/progress"), "{\"phase\":\"idle\"}");
            assertFalse(refused(own), "own status refused: " + own);
            DeviceStatusBoard.DeviceStatus status = broker.statuses().last("gw-victim").orElseThrow();
            assertEquals("{\"phase\":\"idle\"}", status.payload());
            backend.uploadAndAssign(backend.operator("ops"),
                    backend.good("fw-victim", "1.0.0", Map.of("fw.bin", new byte[] {4})), "gw-victim");
            String first = victim.next();
            assertNotNull(first);
            assertFalse(first.contains("666"), "the victim received the forged command: " + first);
            assertEquals("checkIn", json(first).get("type").asText());
        }
    }

    /** PUBACK codes from 0x80 are refusals; a broker may also close the connection (negative here). */
    private static boolean refused(int pubackOrError) {
        return pubackOrError >= 0x80 || pubackOrError < 0;
    }

    @Test
    void thePushIdentityForAnExternalBrokerIsNoDeviceHereNorOnTheDeviceApi() throws Exception {
        backend.pki.issuePushIdentity("push-here");
        MqttException e = assertThrows(MqttException.class, () -> new MqttDevice(backend.server.mqttBroker().orElseThrow().uri(),
                "backend:push-here", backend.pki.loadPushIdentity("push-here"), backend.pki.rootCaPem()).close());
        assertEquals(NOT_AUTHORIZED, e.getReasonCode(), e.toString());
        java.net.http.HttpClient https = TlsClients.withCertificate(backend.pki.loadPushIdentity("push-here"), backend.pki.rootCaPem());
        try {
            HttpResponse<String> poll = BackendFixture.get(https, backend.controller("push-here"));
            assertEquals(403, poll.statusCode(), poll.body());
        } catch (java.io.IOException refusedAtHandshake) {
            // refused in the TLS handshake already: as good
        }
    }

    @Test
    void clientIdMustBeTheCertificatesCommonName() throws Exception {
        MqttException e = assertThrows(MqttException.class, () -> connect("gw-someone-else", "gw-honest"));
        assertEquals(NOT_AUTHORIZED, e.getReasonCode(), e.toString());
    }

    @Test
    void operatorCertificateMayOnlySubscribeToFleetAlerts() throws Exception {
        backend.operator("ops-mqtt");
        try (MqttDevice ops = new MqttDevice(broker.uri(), "ops-mqtt", backend.pki.loadOperator("ops-mqtt"), backend.pki.rootCaPem())) {
            assertTrue(ops.subscribe("gantry/v1/devices/gw-push/cmd/#") >= 0x80, "an operator may not read device commands");
            assertTrue(ops.subscribe("gantry/v1/fleet/cmd/#") >= 0x80, "nor fleet commands");
            assertTrue(ops.subscribe("gantry/v1/#") >= 0x80, "nor everything");
            assertEquals(1, ops.subscribe("gantry/v1/fleet/alerts"));
        }
        MqttDevice publisher = new MqttDevice(broker.uri(), "ops-mqtt", backend.pki.loadOperator("ops-mqtt"), backend.pki.rootCaPem());
        try {
            assertTrue(refused(publisher.publish("gantry/v1/fleet/alerts", "{}")), "nor publish alerts of its own");
        } finally {
            try {
                publisher.close();
            } catch (MqttException alreadyClosed) {
                // the broker may answer a denied publish by closing the connection
            }
        }
        MqttException e = assertThrows(MqttException.class, () -> new MqttDevice(broker.uri(), "someone-else",
                backend.pki.loadOperator("ops-mqtt"), backend.pki.rootCaPem()));
        assertEquals(NOT_AUTHORIZED, e.getReasonCode(), "the client id must still be the certificate's CN: " + e);
    }

    @Test
    void revokedCertificateIsRefusedAtConnect() throws Exception {
        connect("gw-revoked", "gw-revoked").close();
        String serial = backend.pki.loadDevice("gw-revoked").chain().get(0).getSerialNumber().toString(16);
        HttpResponse<String> revoked = postJson(backend.operator("ops"), backend.uri("/rest/v1/certificates/revocations"),
                "{\"serials\":[\"" + serial + "\"],\"reason\":\"keyCompromise\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        MqttException e = assertThrows(MqttException.class, () -> connect("gw-revoked", "gw-revoked"));
        assertEquals(NOT_AUTHORIZED, e.getReasonCode(), e.toString());
        HttpResponse<String> events = BackendFixture.get(backend.operator("ops"), backend.uri("/rest/v1/security-events"));
        assertTrue(events.body().contains("MQTT: client certificate " + serial), events.body());
    }
}
