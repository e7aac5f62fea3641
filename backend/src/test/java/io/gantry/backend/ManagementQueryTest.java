package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.pki.OperatorRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paged, filtered queries of releases, rollouts, the security-event audit trail and the
 * download log, over mutual TLS on H2 and PostgreSQL: filters select exactly, pages carry the
 * total, and bad parameters are refused with 400.
 */
class ManagementQueryTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient admin;
    static long fw1;
    static long fw2;
    static long app1;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        admin = backend.operator("admin");
        fw1 = upload("fw", "1.0.0");
        fw2 = upload("fw", "2.0.0");
        app1 = upload("app", "1.0.0");
        assertEquals(200, get(backend.device("q-1"), backend.controller("q-1")).statusCode());
        postJson(admin, backend.uri("/rest/v1/targets/q-1/tags"), "{\"add\":[\"wave\"]}");
        for (long release : new long[] {fw1, fw2, fw2}) {
            HttpResponse<String> r = postJson(admin, backend.uri("/rest/v1/rollouts"), "{\"name\":\"r" + release + "\",\"releaseId\":"
                    + release + ",\"filter\":{\"tags\":[\"wave\"]},\"percentages\":[100]}");
            assertEquals(201, r.statusCode(), r.body());
        }
        long action = json(postJson(admin, backend.uri("/rest/v1/targets/q-1/actions"), "{\"releaseId\":" + app1 + "}"))
                .get("actionId").asLong();
        assertTrue(action > 0);
        HttpResponse<String> download = get(backend.device("q-1"),
                URI.create(backend.controller("q-1") + "/softwaremodules/" + app1 + "/artifacts/fw.bin"));
        assertEquals(200, download.statusCode());
        // Two refusals of a viewer to find in the audit trail.
        HttpClient viewer = backend.operator("q-viewer", OperatorRole.VIEWER);
        for (int i = 0; i < 2; i++) {
            assertEquals(403, get(viewer, backend.uri("/rest/v1/security-events")).statusCode());
        }
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static long upload(String name, String version) throws Exception {
        HttpResponse<String> r = backend.upload(admin, backend.good(name, version, Map.of("fw.bin", new byte[] {9, 9})));
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("id").asLong();
    }

    private static HttpResponse<String> query(String path) throws Exception {
        return get(admin, backend.uri(path));
    }

    private static List<Long> ids(String path, long total) throws Exception {
        HttpResponse<String> r = query(path);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(String.valueOf(total), r.headers().firstValue("X-Total-Count").orElseThrow(), path);
        List<Long> out = new ArrayList<>();
        for (JsonNode n : json(r)) {
            out.add(n.get("id").asLong());
        }
        return out;
    }

    @Test
    void releasesByNameVersionKindAndPage() throws Exception {
        assertEquals(List.of(fw1, fw2, app1), ids("/rest/v1/releases", 3));
        assertEquals(List.of(fw1, fw2), ids("/rest/v1/releases?name=fw", 2));
        assertEquals(List.of(fw1, app1), ids("/rest/v1/releases?version=1.0.0", 2));
        assertEquals(List.of(fw2), ids("/rest/v1/releases?name=fw&version=2.0.0", 1));
        assertEquals(List.of(), ids("/rest/v1/releases?kind=bundle", 0));
        assertEquals(List.of(fw2), ids("/rest/v1/releases?size=1&page=1", 3));
        assertEquals(400, query("/rest/v1/releases?kind=rocket").statusCode());
        assertEquals(400, query("/rest/v1/releases?nam=fw").statusCode());
    }

    @Test
    void rolloutsByReleaseStateAndPage() throws Exception {
        List<Long> all = ids("/rest/v1/rollouts", 3);
        assertEquals(List.of(all.get(1), all.get(2)), ids("/rest/v1/rollouts?releaseId=" + fw2, 2));
        // The scheduler may have planned them by now: ask for the state the first one is in (lower case too).
        String state = json(query("/rest/v1/rollouts?size=1")).get(0).get("state").asText();
        List<Long> inState = new ArrayList<>();
        for (JsonNode r : json(query("/rest/v1/rollouts"))) {
            if (r.get("state").asText().equals(state)) {
                inState.add(r.get("id").asLong());
            }
        }
        assertEquals(inState, ids("/rest/v1/rollouts?state=" + state.toLowerCase(java.util.Locale.ROOT), inState.size()));
        assertEquals(List.of(), ids("/rest/v1/rollouts?state=CANCELED", 0));
        assertEquals(List.of(all.get(2)), ids("/rest/v1/rollouts?size=2&page=1", 3));
        assertEquals(400, query("/rest/v1/rollouts?state=flying").statusCode());
    }

    @Test
    void securityEventsByCodeSubjectAndTime() throws Exception {
        HttpResponse<String> r = query("/rest/v1/security-events?code=ROLE_REQUIRED");
        assertEquals("2", r.headers().firstValue("X-Total-Count").orElseThrow(), r.body());
        for (JsonNode e : json(r)) {
            assertEquals("ROLE_REQUIRED", e.get("code").asText());
            assertEquals("CN=q-viewer,OU=operators,O=Gantry", e.get("subject").asText());
        }
        assertEquals("2", query("/rest/v1/security-events?subject=CN%3Dq-viewer%2COU%3Doperators%2CO%3DGantry")
                .headers().firstValue("X-Total-Count").orElseThrow());
        String future = Instant.now().plusSeconds(3600).toString();
        assertEquals(0, json(query("/rest/v1/security-events?code=ROLE_REQUIRED&since=" + future)).size());
        assertEquals(2, json(query("/rest/v1/security-events?code=ROLE_REQUIRED&until=" + future)).size());
        assertEquals(1, json(query("/rest/v1/security-events?code=ROLE_REQUIRED&size=1&page=1")).size());
        assertEquals(400, query("/rest/v1/security-events?limit=5").statusCode(), "page and size, as on every list");
        assertEquals(400, query("/rest/v1/security-events?since=monday").statusCode());
    }

    @Test
    void certificateExpiryRefusesUnknownAndRepeatedParameters() throws Exception {
        assertEquals(200, query("/rest/v1/certificate-expiry?role=devices").statusCode());
        for (String bad : List.of("?role=devices&role=operators", "?rol=devices", "?page=0", "/q-viewer?size=5")) {
            HttpResponse<String> r = query("/rest/v1/certificate-expiry" + bad);
            assertEquals(400, r.statusCode(), bad + ": " + r.body());
            assertEquals("BAD_REQUEST", json(r).get("code").asText());
        }
    }

    @Test
    void downloadLogByDeviceAndRelease() throws Exception {
        HttpResponse<String> r = query("/rest/v1/download-log?controllerId=q-1");
        assertEquals("1", r.headers().firstValue("X-Total-Count").orElseThrow(), r.body());
        JsonNode entry = json(r).get(0);
        assertEquals(app1, entry.get("releaseId").asLong());
        assertEquals("fw.bin", entry.get("artifact").asText());
        assertEquals(2, entry.get("bytesSent").asLong());
        assertTrue(entry.get("entryHash").asText().matches("[0-9a-f]{64}"));
        assertEquals(0, json(query("/rest/v1/download-log?controllerId=q-1&releaseId=" + fw1)).size());
        assertEquals(0, json(query("/rest/v1/download-log?controllerId=other")).size());
        assertEquals(400, query("/rest/v1/download-log?releaseId=abc").statusCode());
    }
}
