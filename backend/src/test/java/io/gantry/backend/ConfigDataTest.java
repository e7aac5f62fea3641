package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.alerts.AlertWebhook;
import io.gantry.backend.alerts.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** hawkBit configData: a device reports attributes about itself; renewal escalation becomes a security event and an operator alert on the webhook. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigDataTest {
    @TempDir
    static Path dir;
    BackendFixture b;

    WebhookReceiver webhook;

    @BeforeAll
    void start() throws Exception {
        webhook = new WebhookReceiver();
        b = new BackendFixture(dir, c -> c,
                new AlertWebhook(webhook.url(), AlertWebhook.DEFAULT_CODES, Duration.ofMillis(100)));
    }

    @AfterAll
    void stop() {
        b.close();
        webhook.close();
    }

    HttpResponse<String> put(HttpClient client, URI uri, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void deviceReportsAttributesThatOperatorsCanRead() throws Exception {
        URI uri = URI.create(b.controller("cfg-1") + "/configData");
        assertEquals(200, put(b.device("cfg-1"), uri,
                "{\"mode\":\"merge\",\"data\":{\"cert.notAfter\":\"2031-01-01T00:00:00Z\",\"cert.renewal\":\"NORMAL\"}}").statusCode());
        assertEquals(200, put(b.device("cfg-1"), uri, "{\"data\":{\"cert.renewal\":\"RENEWING\"}}").statusCode());
        JsonNode attrs = BackendFixture.json(BackendFixture.get(b.operator("op"), b.uri("/rest/v1/targets/cfg-1/attributes")));
        assertEquals("RENEWING", attrs.get("cert.renewal").asText());
        assertEquals("2031-01-01T00:00:00Z", attrs.get("cert.notAfter").asText());
    }

    @Test
    void anotherDeviceCannotWriteItsAttributesAndGarbageIsRefused() throws Exception {
        URI uri = URI.create(b.controller("cfg-2") + "/configData");
        assertEquals(403, put(b.device("cfg-3"), uri, "{\"data\":{\"x\":\"y\"}}").statusCode());
        HttpResponse<String> bad = put(b.device("cfg-2"), uri, "{\"data\":{\"x\":1}}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("MALFORMED_CONFIG_DATA"), bad.body());
        assertEquals(400, put(b.device("cfg-2"), uri, "{\"data\":{\"x\":\"a\",\"x\":\"b\"}}").statusCode());
    }

    @Test
    void escalatedRenewalIsRecordedAsASecurityEvent() throws Exception {
        URI uri = URI.create(b.controller("cfg-4") + "/configData");
        assertEquals(200, put(b.device("cfg-4"), uri, "{\"data\":{\"cert.renewal\":\"EMERGENCY\","
                + "\"cert.notAfter\":\"2026-12-01T00:00:00Z\",\"cert.lastError\":\"EST_UNAVAILABLE\"}}").statusCode());
        JsonNode events = BackendFixture.json(BackendFixture.get(b.operator("op"), b.uri("/rest/v1/security-events")));
        boolean found = false;
        for (JsonNode e : events) {
            found |= e.get("code").asText().equals("CERT_RENEWAL_EMERGENCY") && e.get("subject").asText().equals("cfg-4")
                    && e.get("detail").asText().contains("EST_UNAVAILABLE");
        }
        assertTrue(found, events.toString());
    }

    @Test
    void escalatedRenewalReachesTheOperatorsWebhook() throws Exception {
        URI uri = URI.create(b.controller("cfg-5") + "/configData");
        assertEquals(200, put(b.device("cfg-5"), uri, "{\"data\":{\"cert.renewal\":\"ESCALATED\","
                + "\"cert.notAfter\":\"2026-12-20T00:00:00Z\",\"cert.lastError\":\"EST_UNAVAILABLE\"}}").statusCode());
        JsonNode alert = null;
        for (int i = 0; i < 200 && alert == null; i++) {
            alert = webhook.received.stream().filter(n -> n.get("subject").asText().equals("cfg-5")).findFirst().orElse(null);
            Thread.sleep(50);
        }
        assertNotNull(alert, "the webhook got the alert within 10 s: " + webhook.received);
        assertEquals("CERT_RENEWAL_ESCALATED", alert.get("code").asText());
        assertTrue(alert.get("detail").asText().contains("2026-12-20"), alert.toString());
    }
}
