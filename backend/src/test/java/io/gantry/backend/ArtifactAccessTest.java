package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device sees only its own assignments (THREATS.md, "a URL of another device"). */
class ArtifactAccessTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static long releaseId;
    static long actionId;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        long[] ids = backend.uploadAndAssign(backend.operator("ops"), backend.releases.good("private-fw", "1.0.0",
                Map.of("fw.bin", SignedReleases.payloadBytes("private", 512))), "owner");
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
}
