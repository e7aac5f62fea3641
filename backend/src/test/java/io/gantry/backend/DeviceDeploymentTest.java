package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.release.KeyIds;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseAuthorization;
import io.gantry.release.SignatureEnvelope;
import io.gantry.testing.TestReleases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole device flow over real mutual TLS: upload, assign, poll, fetch, download, feedback. */
class DeviceDeploymentTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient operator;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        operator = backend.operator("alice");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static HttpResponse<byte[]> download(HttpClient client, URI uri, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        if (range != null) {
            b.header("Range", range);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void deviceReceivesVerifiesAndFinishesAnAssignedRelease() throws Exception {
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        payloads.put("fw.bin", TestReleases.payloadBytes("firmware", 200_000));
        payloads.put("notes.txt", TestReleases.payloadBytes("notes", 100));
        long[] ids = backend.uploadAndAssign(operator, backend.good("acme-fw", "1.0.0", payloads), "dev-1");
        HttpClient device = backend.device("dev-1");

        HttpResponse<String> poll = get(device, backend.controller("dev-1"));
        assertEquals(200, poll.statusCode());
        assertTrue(poll.headers().firstValue("Content-Type").orElse("").startsWith("application/hal+json"));
        assertEquals("00:00:05", json(poll).at("/config/polling/sleep").asText());
        String href = json(poll).at("/_links/deploymentBase/href").asText();
        assertTrue(href.startsWith(backend.controller("dev-1") + "/deploymentBase/" + ids[1] + "?c="), href);

        JsonNode deployment = json(get(device, URI.create(href)));
        assertEquals(Long.toString(ids[1]), deployment.get("id").asText());
        JsonNode chunk = deployment.at("/deployment/chunks/0");
        assertEquals("firmware", chunk.get("part").asText());
        assertEquals("acme-fw", chunk.get("name").asText());
        assertEquals("acme-sensor", chunk.at("/metadata/0/value").asText());
        List<String> names = chunk.get("artifacts").findValuesAsText("filename");
        assertEquals(List.of("release.json", "signatures.json", "fw.bin", "notes.txt"), names);
        assertEquals("RUNNING", json(get(operator, backend.uri("/rest/v1/actions/" + ids[1]))).get("status").asText());

        byte[] metadata = null;
        byte[] envelope = null;
        for (JsonNode a : chunk.get("artifacts")) {
            HttpResponse<byte[]> r = download(device, URI.create(a.at("/_links/download/href").asText()), null);
            assertEquals(200, r.statusCode());
            assertEquals(a.get("size").asLong(), r.body().length);
            assertEquals(a.at("/hashes/sha256").asText(), TestReleases.sha256(r.body()));
            // hawkBit clients require sha1 and md5 too (compatibility fields), and read the md5sum link.
            assertEquals(a.at("/hashes/sha1").asText(), java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-1").digest(r.body())));
            String md5 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(r.body()));
            assertEquals(md5, a.at("/hashes/md5").asText());
            HttpResponse<String> md5sum = get(device, URI.create(a.at("/_links/md5sum/href").asText()));
            assertEquals(200, md5sum.statusCode());
            assertEquals(md5 + "  " + a.get("filename").asText() + "\n", md5sum.body());
            assertEquals(Long.toString(r.body().length), r.headers().firstValue("Content-Length").orElseThrow());
            if (a.get("filename").asText().equals("release.json")) {
                metadata = r.body();
            } else if (a.get("filename").asText().equals("signatures.json")) {
                envelope = r.body();
            } else {
                assertArrayEquals(payloads.get(a.get("filename").asText()), r.body());
            }
        }
        // The device can verify what it got with the same rule the backend applied.
        List<String> releaseKeyIds = List.of(KeyIds.of(backend.keys.releaseA.getPublic()),
                KeyIds.of(backend.keys.releaseB.getPublic()));
        assertEquals(releaseKeyIds, ReleaseAuthorization.authorize(MetadataJson.parse(metadata), metadata,
                SignatureEnvelope.parse(envelope), backend.trustRoot, backend.clock.instant()).signerKeyIds());
        assertEquals("acme-fw", MetadataJson.parse(metadata).name());

        URI feedback = URI.create(backend.controller("dev-1") + "/deploymentBase/" + ids[1] + "/feedback");
        assertEquals(200, postJson(device, feedback, "{\"status\":{\"execution\":\"proceeding\",\"result\":{\"finished\":\"none\","
                + "\"progress\":{\"cnt\":1,\"of\":2}},\"details\":[\"downloading\"]}}").statusCode());
        assertEquals(200, postJson(device, feedback, "{\"timestamp\":1795688159761,\"status\":{\"execution\":\"closed\","
                + "\"result\":{\"finished\":\"success\"},\"code\":200,\"details\":[\"installed\"]}}").statusCode());

        JsonNode action = json(get(operator, backend.uri("/rest/v1/actions/" + ids[1])));
        assertEquals("FINISHED", action.get("status").asText());
        assertEquals(2, action.get("history").size());
        assertEquals(200, action.at("/history/1/code").asInt());
        assertEquals("installed", action.at("/history/1/details/0").asText());

        HttpResponse<String> again = postJson(device, feedback,
                "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}");
        assertEquals(410, again.statusCode());
        assertEquals("ACTION_CLOSED", json(again).get("code").asText());
        assertFalse(json(get(device, backend.controller("dev-1"))).at("/_links").has("deploymentBase"));

        JsonNode target = json(get(operator, backend.uri("/rest/v1/targets/dev-1")));
        assertEquals(backend.clock.instant().toString(), target.get("lastSeen").asText());
        assertEquals(ids[1], target.at("/actions/0/id").asLong());
    }

    @Test
    void failureFeedbackMarksTheActionErrorWithItsCode() throws Exception {
        long[] ids = backend.uploadAndAssign(operator, backend.good("acme-fw", "2.0.0",
                Map.of("fw.bin", TestReleases.payloadBytes("v2", 1000))), "dev-fail");
        HttpClient device = backend.device("dev-fail");
        URI feedback = URI.create(backend.controller("dev-fail") + "/deploymentBase/" + ids[1] + "/feedback");
        assertEquals(200, postJson(device, feedback, "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"failure\"},"
                + "\"code\":500,\"details\":[\"Installation failed: signature mismatch\"]}}").statusCode());
        JsonNode action = json(get(operator, backend.uri("/rest/v1/actions/" + ids[1])));
        assertEquals("ERROR", action.get("status").asText());
        assertEquals(500, action.at("/history/0/code").asInt());
        assertEquals("failure", action.at("/history/0/finished").asText());
        assertEquals("Installation failed: signature mismatch", action.at("/history/0/details/0").asText());
    }

    @Test
    void rangeRequestsAnswerPartialContentLikeHawkbit() throws Exception {
        byte[] fw = TestReleases.payloadBytes("ranged", 5000);
        long[] ids = backend.uploadAndAssign(operator, backend.good("acme-fw", "3.0.0", Map.of("fw.bin", fw)), "dev-range");
        HttpClient device = backend.device("dev-range");
        URI uri = URI.create(backend.controller("dev-range") + "/softwaremodules/" + ids[0] + "/artifacts/fw.bin");
        HttpResponse<byte[]> head = download(device, uri, "bytes=0-1023");
        assertEquals(206, head.statusCode());
        assertEquals("bytes 0-1023/5000", head.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(fw, 0, 1024), head.body());
        HttpResponse<byte[]> tail = download(device, uri, "bytes=4500-");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(fw, 4500, 5000), tail.body());
        assertEquals("bytes", tail.headers().firstValue("Accept-Ranges").orElseThrow());
        assertEquals(416, download(device, uri, "bytes=6000-").statusCode());
    }

    @Test
    void malformedFeedbackIsRefusedAndNotStored() throws Exception {
        long[] ids = backend.uploadAndAssign(operator, backend.good("acme-fw", "4.0.0",
                Map.of("fw.bin", TestReleases.payloadBytes("v4", 10))), "dev-bad-body");
        HttpClient device = backend.device("dev-bad-body");
        URI feedback = URI.create(backend.controller("dev-bad-body") + "/deploymentBase/" + ids[1] + "/feedback");
        for (String body : List.of("not json", "{}", "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"none\"}}}",
                "{\"status\":{\"execution\":\"exploded\",\"result\":{\"finished\":\"success\"}}}",
                "{\"status\":{\"execution\":\"closed\",\"execution\":\"proceeding\",\"result\":{\"finished\":\"success\"}}}")) {
            HttpResponse<String> r = postJson(device, feedback, body);
            assertEquals(400, r.statusCode(), body);
            assertEquals("MALFORMED_FEEDBACK", json(r).get("code").asText());
        }
        JsonNode action = json(get(operator, backend.uri("/rest/v1/actions/" + ids[1])));
        assertEquals("PENDING", action.get("status").asText());
        assertEquals(0, action.get("history").size());
    }
}
