package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.alerts.AlertChange;
import io.gantry.backend.alerts.AlertWebhook;
import io.gantry.backend.alerts.WebhookReceiver;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet alerts end to end over real mutual TLS and the real embedded broker: a device asks for an
 * artifact it was never assigned; the anomaly scan opens an alert, which reaches the log, the
 * operator webhook (as a FLEET_ALERT event) and an operator subscribed to
 * {@code gantry/v1/fleet/alerts}; the operator lists and acknowledges it over {@code /rest/v1/alerts}.
 */
class FleetAlertsEndToEndTest {
    @TempDir
    Path dir;
    WebhookReceiver webhook;
    BackendFixture b;

    @BeforeEach
    void start() throws Exception {
        webhook = new WebhookReceiver();
        b = new BackendFixture(dir, c -> c, new AlertWebhook(webhook.url(), AlertWebhook.DEFAULT_CODES, Duration.ofMillis(100)),
                MqttBrokerConfig.on("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        b.close();
        webhook.close();
    }

    @Test
    void anUnassignedDownloadBecomesAnAlertOnEveryChannelAndAnOperatorAcknowledgesIt() throws Exception {
        b.operator("ops-watch");
        try (MqttDevice watcher = new MqttDevice(b.server.mqttBroker().orElseThrow().uri(), "ops-watch",
                b.pki.loadOperator("ops-watch"), b.pki.rootCaPem())) {
            assertEquals(1, watcher.subscribe("gantry/v1/fleet/alerts"));
            assertEquals(200, BackendFixture.get(b.device("gw-nosy"), b.controller("gw-nosy")).statusCode());
            HttpResponse<String> refused = BackendFixture.get(b.device("gw-nosy"),
                    java.net.URI.create(b.controller("gw-nosy") + "/softwaremodules/9999/artifacts/fw.bin"));
            assertEquals(404, refused.statusCode(), refused.body());

            List<AlertChange> changes = b.server.anomalyScan().scan();
            assertEquals(1, changes.size(), changes.toString());
            assertEquals("UNASSIGNED_DOWNLOAD gw-nosy OPENED", changes.get(0).alert().kind() + " " + changes.get(0).alert().subject()
                    + " " + changes.get(0).change());
            assertEquals(List.of(), b.server.anomalyScan().scan(), "found again: deduplicated, nothing delivered");

            String published = watcher.next();
            assertNotNull(published, "the operator got the alert over MQTT");
            JsonNode mqtt = BackendFixture.JSON.readTree(published.substring(published.indexOf(' ') + 1));
            assertTrue(published.startsWith("gantry/v1/fleet/alerts "), published);
            assertEquals("OPENED", mqtt.get("change").asText());
            assertEquals("UNASSIGNED_DOWNLOAD", mqtt.get("kind").asText());
            assertEquals("gw-nosy", mqtt.get("subject").asText());

            JsonNode posted = null;
            for (int i = 0; i < 200 && posted == null; i++) {
                posted = webhook.received.stream().filter(n -> n.get("code").asText().equals("FLEET_ALERT")).findFirst().orElse(null);
                Thread.sleep(50);
            }
            assertNotNull(posted, "the webhook got the alert within 10 s: " + webhook.received);
            assertEquals("gw-nosy", posted.get("subject").asText());
            assertTrue(posted.get("detail").asText().contains("\"kind\":\"UNASSIGNED_DOWNLOAD\""), posted.toString());

            HttpResponse<String> page = BackendFixture.get(b.operator("ops"),
                    b.uri("/rest/v1/alerts?state=OPEN&kind=UNASSIGNED_DOWNLOAD&page=0&size=10"));
            assertEquals(200, page.statusCode(), page.body());
            assertEquals("1", page.headers().firstValue("X-Total-Count").orElseThrow(), "the total, as on every list");
            JsonNode listed = BackendFixture.json(page);
            assertTrue(listed.isArray(), "the page is a JSON array, as on every list: " + listed);
            assertEquals(1, listed.size(), listed.toString());
            JsonNode alert = listed.get(0);
            assertEquals(2, alert.get("count").asInt());
            assertEquals("WARNING", alert.get("severity").asText());
            long id = alert.get("id").asLong();

            assertEquals(403, BackendFixture.postJson(b.device("gw-nosy"), b.uri("/rest/v1/alerts/" + id + "/acknowledge"), "")
                    .statusCode(), "a device certificate cannot acknowledge");
            HttpResponse<String> acked = BackendFixture.postJson(b.operator("ops"), b.uri("/rest/v1/alerts/" + id + "/acknowledge"), "");
            assertEquals(200, acked.statusCode(), acked.body());
            assertEquals("ACKNOWLEDGED", BackendFixture.json(acked).get("state").asText());
            assertEquals("ops", BackendFixture.json(acked).get("acknowledgedBy").asText());
            String ackMessage = watcher.next();
            assertNotNull(ackMessage);
            assertTrue(ackMessage.contains("\"change\":\"ACKNOWLEDGED\""), ackMessage);
        }

        HttpResponse<String> missing = BackendFixture.postJson(b.operator("ops"), b.uri("/rest/v1/alerts/99999/acknowledge"), "");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("ALERT_NOT_FOUND"), missing.body());
        HttpResponse<String> badState = BackendFixture.get(b.operator("ops"), b.uri("/rest/v1/alerts?state=SLEEPING"));
        assertEquals(400, badState.statusCode());
        assertTrue(badState.body().contains("state must be one of"), badState.body());
        for (String bad : List.of("limit=10", "offset=0", "size=0", "size=501", "page=-1", "state=OPEN&state=RESOLVED", "kind=")) {
            HttpResponse<String> r = BackendFixture.get(b.operator("ops"), b.uri("/rest/v1/alerts?" + bad));
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
            assertTrue(r.body().contains("BAD_REQUEST"), r.body());
        }
        HttpResponse<String> beyond = BackendFixture.get(b.operator("ops"), b.uri("/rest/v1/alerts?page=7&size=1"));
        assertEquals("[]", beyond.body(), "a page past the end is empty");
        assertEquals("1", beyond.headers().firstValue("X-Total-Count").orElseThrow());
        try (Connection c = TestDatabases.connect(dir.resolve("data/db"));
                ResultSet rs = c.createStatement().executeQuery("SELECT controller_id, remote_address FROM check_ins")) {
            assertTrue(rs.next(), "the device's poll was recorded as a check-in");
            assertEquals("gw-nosy", rs.getString(1));
            assertEquals("127.0.0.1", rs.getString(2));
        }
    }

    @Test
    void acknowledgingAResolvedAlertIsAConflict() throws Exception {
        assertEquals(404, BackendFixture.get(b.device("gw-once"),
                java.net.URI.create(b.controller("gw-once") + "/softwaremodules/9998/artifacts/fw.bin")).statusCode());
        b.server.anomalyScan().scan();
        long id = b.server.alerts().list(null, null, 0, 1).alerts().get(0).id();
        try (Connection c = TestDatabases.connect(dir.resolve("data/db"))) {
            c.createStatement().executeUpdate("DELETE FROM download_log");
        }
        assertEquals("RESOLVED", b.server.anomalyScan().scan().get(0).change().name());
        HttpResponse<String> conflict = BackendFixture.postJson(b.operator("ops"), b.uri("/rest/v1/alerts/" + id + "/acknowledge"), "");
        assertEquals(409, conflict.statusCode(), conflict.body());
        assertTrue(conflict.body().contains("ALERT_RESOLVED"), conflict.body());
    }
}
