package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet search and device detail over mutual TLS, on H2 and on PostgreSQL (the suite's second
 * run): each filter alone and combined, paging with a stable order and total count, refusals of
 * unknown parameters and oversized pages, and the detail of a gateway with everything filled in.
 */
class FleetSearchTest {
    private static final String CLOSED_SUCCESS = "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"},"
            + "\"details\":[\"done\"]}}";
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient viewer;
    static long v1;
    static long v2;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        HttpClient admin = backend.operator("admin");
        viewer = backend.operator("viewer", io.gantry.pki.OperatorRole.VIEWER);
        // gw-1..gw-5 poll (gw-5 with a certificate that expires in 10 days); gw-none exists by assignment only.
        backend.pki.issueDevice("gw-5", Duration.ofDays(10));
        for (int i = 1; i <= 5; i++) {
            String id = "gw-" + i;
            assertEquals(200, get(backend.device(id), backend.controller(id)).statusCode());
            String type = i <= 3 ? "edge-a" : "edge-b";
            assertEquals(200, put(backend.device(id), URI.create(backend.controller(id) + "/configData"),
                    "{\"mode\":\"merge\",\"data\":{\"deviceType\":\"" + type + "\",\"site\":\"" + (i % 2 == 0 ? "north" : "south")
                            + "\"}}").statusCode());
        }
        postJson(admin, backend.uri("/rest/v1/targets/gw-1/tags"), "{\"add\":[\"canary\",\"lab\"]}");
        postJson(admin, backend.uri("/rest/v1/targets/gw-2/tags"), "{\"add\":[\"canary\"]}");
        // gw-1 installs fw 1.0.0 then 2.0.0; gw-2 installs 1.0.0 only; gw-3 has 2.0.0 assigned but not finished.
        long[] a = backend.uploadAndAssign(admin, backend.good("fw", "1.0.0", Map.of("fw.bin", new byte[] {1})), "gw-1");
        v1 = a[0];
        finish("gw-1", a[1]);
        finish("gw-2", assign(admin, v1, "gw-2"));
        long[] b = backend.uploadAndAssign(admin, backend.good("fw", "2.0.0", Map.of("fw.bin", new byte[] {2})), "gw-1");
        v2 = b[0];
        finish("gw-1", b[1]);
        assign(admin, v2, "gw-3");
        assign(admin, v2, "gw-none");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static long assign(HttpClient admin, long release, String id) throws Exception {
        HttpResponse<String> r = postJson(admin, backend.uri("/rest/v1/targets/" + id + "/actions"), "{\"releaseId\":" + release + "}");
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("actionId").asLong();
    }

    private static void finish(String id, long action) throws Exception {
        assertEquals(200, postJson(backend.device(id), URI.create(backend.controller(id) + "/deploymentBase/" + action + "/feedback"),
                CLOSED_SUCCESS).statusCode());
    }

    private static HttpResponse<String> put(HttpClient client, URI uri, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> search(String query) throws Exception {
        return get(viewer, backend.uri("/rest/v1/targets" + (query.isEmpty() ? "" : "?" + query)));
    }

    private static List<String> ids(String query) throws Exception {
        HttpResponse<String> r = search(query);
        assertEquals(200, r.statusCode(), r.body());
        List<String> out = new ArrayList<>();
        for (JsonNode n : json(r)) {
            out.add(n.get("controllerId").asText());
        }
        assertEquals(String.valueOf(out.size()), r.headers().firstValue("X-Total-Count").orElseThrow(), "one page holds all");
        return out;
    }

    @Test
    void everyTargetInControllerIdOrder() throws Exception {
        assertEquals(List.of("gw-1", "gw-2", "gw-3", "gw-4", "gw-5", "gw-none"), ids(""));
    }

    @Test
    void filtersByDeviceTypeAttributeAndTags() throws Exception {
        assertEquals(List.of("gw-1", "gw-2", "gw-3"), ids("deviceType=edge-a"));
        assertEquals(List.of("gw-2", "gw-4"), ids("attribute.site=north"));
        assertEquals(List.of("gw-2"), ids("deviceType=edge-a&attribute.site=north"));
        assertEquals(List.of("gw-1", "gw-2"), ids("tag=canary"));
        assertEquals(List.of("gw-1"), ids("tag=canary&tag=lab"));
        assertEquals(List.of(), ids("tag=nowhere"));
    }

    @Test
    void filtersByTheVersionInstalledNowNotAnEarlierOne() throws Exception {
        assertEquals(List.of("gw-2"), ids("version=1.0.0"));
        assertEquals(List.of("gw-1"), ids("release=fw&version=2.0.0"));
        assertEquals(List.of("gw-1", "gw-2"), ids("release=fw"));
        assertEquals(List.of(), ids("release=other"));
    }

    @Test
    void filtersByLastSeenAndCertificateExpiry() throws Exception {
        Instant seen = backend.clock.instant();
        assertEquals(List.of(), ids("lastSeenBefore=" + seen));
        assertEquals(List.of("gw-1", "gw-2", "gw-3", "gw-4", "gw-5"), ids("lastSeenBefore=" + seen.plusSeconds(1)));
        assertEquals(List.of("gw-1", "gw-2", "gw-3", "gw-4", "gw-5"), ids("lastSeenAfter=" + seen));
        assertEquals(List.of("gw-5"), ids("certExpiresBefore=" + Instant.now().plus(Duration.ofDays(30))));
        assertEquals(List.of("gw-1", "gw-2", "gw-3", "gw-4", "gw-5"),
                ids("certExpiresBefore=" + Instant.now().plus(Duration.ofDays(6 * 365))));
    }

    @Test
    void pagesAreStableAndCarryTheTotal() throws Exception {
        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            HttpResponse<String> r = search("size=2&page=" + page);
            assertEquals("6", r.headers().firstValue("X-Total-Count").orElseThrow());
            json(r).forEach(n -> seen.add(n.get("controllerId").asText()));
        }
        assertEquals(ids(""), seen);
        assertEquals(0, json(search("size=2&page=3")).size());
    }

    @Test
    void refusesUnknownParametersBadValuesAndOversizedPages() throws Exception {
        for (String bad : List.of("devicetype=edge-a", "size=501", "size=0", "page=-1", "lastSeenBefore=yesterday",
                "deviceType=a&deviceType=b", "attribute.=x")) {
            HttpResponse<String> r = search(bad);
            assertEquals(400, r.statusCode(), bad);
            assertEquals("BAD_REQUEST", json(r).get("code").asText(), bad);
        }
    }

    @Test
    void listEntriesCarryTypeAndCertificateExpiry() throws Exception {
        JsonNode first = json(search("size=1")).get(0);
        assertEquals("gw-1", first.get("controllerId").asText());
        assertEquals("edge-a", first.get("deviceType").asText());
        assertTrue(Instant.parse(first.get("certificateNotAfter").asText()).isAfter(Instant.now().plus(Duration.ofDays(4 * 365))));
    }

    @Test
    void detailShowsInstalledTagsAttributesCertificatesAndActions() throws Exception {
        JsonNode t = json(get(viewer, backend.uri("/rest/v1/targets/gw-1")));
        assertEquals("edge-a", t.get("attributes").get("deviceType").asText());
        assertEquals("[\"canary\",\"lab\"]", t.get("tags").toString());
        assertEquals(1, t.get("installed").size(), "one release name installed, at its newest version");
        assertEquals("2.0.0", t.get("installed").get(0).get("version").asText());
        assertEquals(v2, t.get("installed").get(0).get("releaseId").asLong());
        JsonNode cert = t.get("certificates").get(0);
        assertEquals("GOOD", cert.get("status").asText());
        assertTrue(cert.get("serial").asText().matches("[0-9a-f]+"));
        assertEquals(2, t.get("actions").size());
        JsonNode none = json(get(viewer, backend.uri("/rest/v1/targets/gw-none")));
        assertEquals(0, none.get("certificates").size());
        assertEquals("PENDING", none.get("actions").get(0).get("status").asText());
        assertTrue(none.get("lastSeen").isNull());
    }
}
