package io.gantry.backend;

import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.fleet.MosquittoProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Mosquitto as the external broker, with the configuration and ACL of docs/mqtt.md and
 * the CRL fetched from the backend: a device reads its own command topic, another device's
 * certificate can neither subscribe to nor publish on it, and a revoked certificate is refused at
 * the handshake. {@code backend:gantry-push} stands for the backend's push identity, the one user the ACL lets
 * write commands.
 */
class MosquittoBrokerTest {
    private static final int NOT_AUTHORIZED = 0x87;
    @TempDir
    static Path tmp;
    private static BackendFixture backend;
    private static MosquittoProcess mosquitto;
    private static String uri;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp.resolve("backend"));
        for (String id : new String[] {"gw-a", "gw-b", "gw-revoked"}) {
            backend.pki.issueDevice(id);
        }
        backend.pki.issuePushIdentity(MosquittoProcess.PUSH_IDENTITY);
        String serial = backend.pki.loadDevice("gw-revoked").chain().get(0).getSerialNumber().toString(16);
        HttpResponse<String> revoked = postJson(backend.operator("ops"), backend.uri("/rest/v1/certificates/revocations"),
                "{\"serials\":[\"" + serial + "\"],\"reason\":\"keyCompromise\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());

        String keyId = RevocationEndpoints.keyIdOf(backend.pki.loadIntermediate().chain().get(0));
        HttpResponse<byte[]> crl = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(backend.pki.revocationEndpoints().crl(keyId)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, crl.statusCode());
        mosquitto = MosquittoProcess.configure(tmp.resolve("mosquitto"), backend.pki, "-----BEGIN X509 CRL-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(crl.body())
                + "\n-----END X509 CRL-----\n").start();
        uri = mosquitto.uri();
    }

    @AfterAll
    static void stop() throws Exception {
        if (mosquitto != null) {
            mosquitto.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static MqttDevice connect(String id) throws Exception {
        return new MqttDevice(uri, id, backend.pki.loadDevice(id), backend.pki.rootCaPem());
    }

    @Test
    void anotherDeviceCanNeitherReadNorWriteAndOnlyThePushIdentityReachesTheDevice() throws Exception {
        try (MqttDevice a = connect("gw-a"); MqttDevice b = connect("gw-b"); MqttDevice push = new MqttDevice(uri, "gantry-push-test",
                        backend.pki.loadPushIdentity(MosquittoProcess.PUSH_IDENTITY), backend.pki.rootCaPem())) {
            assertEquals(1, a.subscribe("gantry/v1/devices/gw-a/cmd/#"));
            assertEquals(1, b.subscribe("gantry/v1/devices/gw-b/cmd/#"));
            // Mosquitto's acl_file grants the SUBACK and checks read access on every message it
            // would deliver: B's subscriptions to A's topics are accepted but never deliver.
            assertTrue(b.subscribe("gantry/v1/devices/gw-a/cmd/#") <= 1);
            assertTrue(b.subscribe("gantry/v1/devices/+/cmd/#") <= 1);
            int forged = b.publish("gantry/v1/devices/gw-a/cmd/checkIn", "{\"type\":\"checkIn\",\"actionId\":666}");
            assertTrue(forged >= 0x80 || forged < 0, "forged command accepted: " + forged);
            // Mosquitto handles one client's packets in order and delivers one publisher's messages in
            // order: the forged command (sent before) would arrive at A before the push identity's, and
            // A's command (published before B's) would arrive at B before B's own.
            assertTrue(push.publish("gantry/v1/devices/gw-a/cmd/checkIn", "{\"type\":\"checkIn\",\"actionId\":1}") < 0x80);
            assertTrue(push.publish("gantry/v1/devices/gw-b/cmd/checkIn", "{\"type\":\"checkIn\",\"actionId\":2}") < 0x80);
            assertEquals("gantry/v1/devices/gw-a/cmd/checkIn {\"type\":\"checkIn\",\"actionId\":1}", a.next());
            assertEquals("gantry/v1/devices/gw-b/cmd/checkIn {\"type\":\"checkIn\",\"actionId\":2}", b.next());
            assertTrue(a.publish("gantry/v1/devices/gw-a/status/progress", "{\"phase\":\"idle\"}") < 0x80);
        }
    }

    @Test
    void revokedCertificateIsRefused() {
        assertThrows(MqttException.class, () -> connect("gw-revoked").close());
    }
}
