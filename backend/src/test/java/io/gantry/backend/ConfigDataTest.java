package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** hawkBit configData: a device reports attributes about itself; renewal escalation becomes an alert. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigDataTest {
    @TempDir
    static Path dir;
    BackendFixture b;

    @BeforeAll
    void start() throws Exception {
        b = new BackendFixture(dir);
    }

    @AfterAll
    void stop() {
        b.close();
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
}
