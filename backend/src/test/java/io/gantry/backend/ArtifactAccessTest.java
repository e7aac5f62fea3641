package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.config.DownloadQuota;
import io.gantry.testing.TestReleases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device sees only its own assignments and downloads within its quota (THREATS.md, "distribution abuse"). */
class ArtifactAccessTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static long releaseId;
    static long actionId;
    /** Downloads per device per window in this test's backend. */
    static final int QUOTA = 4;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp, c -> c.withDownloadQuota(new DownloadQuota(QUOTA, 1L << 30, Duration.ofMinutes(10))),
                null);
        long[] ids = backend.uploadAndAssign(backend.operator("ops"), backend.good("private-fw", "1.0.0",
                Map.of("fw.bin", TestReleases.payloadBytes("private", 512))), "owner");
        releaseId = ids[0];
        actionId = ids[1];
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void anotherDeviceCannotDownloadThisDevicesArtifacts() throws Exception {
        HttpClient other = backend.device("other");
        for (String file : new String[] {"fw.bin", "release.json", "signatures.json"}) {
            var r = get(other, URI.create(backend.controller("other") + "/softwaremodules/" + releaseId + "/artifacts/" + file));
            assertEquals(404, r.statusCode());
            assertEquals("ARTIFACT_NOT_FOUND", json(r).get("code").asText());
        }
        assertEquals(200, get(backend.device("owner"),
                URI.create(backend.controller("owner") + "/softwaremodules/" + releaseId + "/artifacts/fw.bin")).statusCode());
    }

    @Test
    void anotherDeviceCannotReadOrAnswerThisDevicesAction() throws Exception {
        HttpClient other = backend.device("other2");
        assertEquals(404, get(other, URI.create(backend.controller("other2") + "/deploymentBase/" + actionId)).statusCode());
        assertEquals(404, postJson(other, URI.create(backend.controller("other2") + "/deploymentBase/" + actionId + "/feedback"),
                "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}").statusCode());
        assertEquals("PENDING", json(get(backend.operator("ops"), backend.uri("/rest/v1/actions/" + actionId))).get("status").asText());
    }

    @Test
    void unknownFileNameIsNotFound() throws Exception {
        var r = get(backend.device("owner"),
                URI.create(backend.controller("owner") + "/softwaremodules/" + releaseId + "/artifacts/other.bin"));
        assertEquals(404, r.statusCode());
    }

    @Test
    void assigningAnUnknownReleaseIsNotFound() throws Exception {
        var r = postJson(backend.operator("ops"), backend.uri("/rest/v1/targets/owner/actions"), "{\"releaseId\":999}");
        assertEquals(404, r.statusCode());
        assertEquals("RELEASE_NOT_FOUND", json(r).get("code").asText());
        assertEquals(400, postJson(backend.operator("ops"), backend.uri("/rest/v1/targets/owner/actions"), "{\"releaseId\":\"x\"}")
                .statusCode());
    }

    @Test
    void aDownloadFloodIsCutAtTheDevicesQuotaAndRecorded() throws Exception {
        long[] ids = backend.uploadAndAssign(backend.operator("ops"), backend.good("flood-fw", "1.0.0",
                Map.of("fw.bin", TestReleases.payloadBytes("flood", 256))), "flooder");
        URI artifact = URI.create(backend.controller("flooder") + "/softwaremodules/" + ids[0] + "/artifacts/fw.bin");
        HttpClient flooder = backend.device("flooder");
        // Ranges that never finish the artifact: not a complete download, so only the flood guard stops them.
        for (int i = 0; i < QUOTA; i++) {
            assertEquals(206, partial(flooder, artifact).statusCode());
        }
        HttpResponse<String> refused = partial(flooder, artifact);
        assertEquals(429, refused.statusCode());
        assertEquals("DOWNLOAD_LIMIT", json(refused).get("code").asText());
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 601, "Retry-After " + retryAfter);
        boolean recorded = false;
        for (JsonNode e : json(get(backend.operator("ops"), backend.uri("/rest/v1/security-events")))) {
            recorded |= e.get("code").asText().equals("DOWNLOAD_LIMIT") && e.get("subject").asText().equals("flooder");
        }
        assertTrue(recorded, "the refusal is a security event");
        assertEquals(200, get(backend.device("owner"),
                URI.create(backend.controller("owner") + "/softwaremodules/" + releaseId + "/artifacts/release.json")).statusCode(),
                "other devices keep their own quota");
    }

    private static HttpResponse<String> partial(HttpClient client, URI uri) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(uri).header("Range", "bytes=0-9").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
