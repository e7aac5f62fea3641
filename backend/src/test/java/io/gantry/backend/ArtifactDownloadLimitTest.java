package io.gantry.backend;

import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.testing.TestReleases;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's per-device limit, counted in the database: one complete download of each artifact
 * per device per hour. Resuming with a Range is not a new download, an interrupted transfer does
 * not count, the count survives a restart on the same data, the window ends after an hour, and an
 * operator's new assignment of the release opens a new one.
 */
class ArtifactDownloadLimitTest {
    @TempDir
    Path dir;

    @Test
    void oneCompleteDownloadPerArtifactPerHourSurvivesARestart() throws Exception {
        BackendFixture b = new BackendFixture(dir);
        HttpClient operator = b.operator("ops");
        byte[] fw = TestReleases.payloadBytes("once", 50_000);
        long[] ids = b.uploadAndAssign(operator, b.good("fw-once", "1.0.0", Map.of("fw.bin", fw)), "dev-once");
        HttpClient device = b.device("dev-once");
        String artifacts = "/DEFAULT/controller/v1/dev-once/softwaremodules/" + ids[0] + "/artifacts/";
        URI fwUri = b.uri(artifacts + "fw.bin");

        // A HEAD first, as SWUpdate sends: the GET's headers, no body, not a download.
        HttpResponse<byte[]> probe = device.send(HttpRequest.newBuilder(fwUri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, probe.statusCode());
        assertEquals(String.valueOf(fw.length), probe.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, probe.body().length);
        HttpResponse<byte[]> head = fetch(device, fwUri, "bytes=0-999");
        assertEquals(206, head.statusCode());
        HttpResponse<byte[]> rest = fetch(device, fwUri, "bytes=1000-");
        assertEquals(206, rest.statusCode(), "resuming an unfinished download is allowed");
        byte[] joined = new byte[fw.length];
        System.arraycopy(head.body(), 0, joined, 0, 1000);
        System.arraycopy(rest.body(), 0, joined, 1000, fw.length - 1000);
        assertArrayEquals(fw, joined);

        HttpResponse<byte[]> again = fetch(device, fwUri, null);
        assertEquals(429, again.statusCode(), "the resumed download completed the artifact: a repeat is refused");
        assertEquals("DOWNLOAD_REPEATED", BackendFixture.JSON.readTree(again.body()).get("code").asText());
        assertEquals("3600", again.headers().firstValue("Retry-After").orElseThrow(), "the window ends an hour after completion");
        assertEquals(429, fetch(device, fwUri, "bytes=0-99").statusCode(), "after completion a range is a new download");
        URI metadata = b.uri(artifacts + "release.json");
        assertEquals(200, fetch(device, metadata, null).statusCode(), "counted per artifact");
        assertEquals(429, fetch(device, metadata, null).statusCode());
        b.close();

        // Ten minutes later, on a restarted backend with the same data: still refused, for the rest of the hour.
        try (BackendServer restarted = BackendServer.start(b.config, EnrollmentConfig.fromPki(b.pki), null,
                Clock.offset(b.clock, Duration.ofMinutes(10)))) {
            HttpResponse<byte[]> refused = fetch(b.device("dev-once"), restarted.baseUri().resolve(artifacts + "fw.bin"), null);
            assertEquals(429, refused.statusCode());
            assertEquals("3000", refused.headers().firstValue("Retry-After").orElseThrow());
        }
        // After the hour: one more complete download.
        try (BackendServer later = BackendServer.start(b.config, EnrollmentConfig.fromPki(b.pki), null,
                Clock.offset(b.clock, Duration.ofMinutes(61)))) {
            HttpClient d = b.device("dev-once");
            URI uri = later.baseUri().resolve(artifacts + "fw.bin");
            assertEquals(200, fetch(d, uri, null).statusCode(), "a new window");
            assertEquals(429, fetch(d, uri, null).statusCode());
        }
        assertEquals(List.of("200 head", "206 complete", "206 complete", "429 DOWNLOAD_REPEATED", "429 DOWNLOAD_REPEATED",
                "200 complete", "429 DOWNLOAD_REPEATED", "429 DOWNLOAD_REPEATED", "200 complete", "429 DOWNLOAD_REPEATED"),
                logResults(b.config.dataDir()));
    }

    @Test
    void anInterruptedDownloadDoesNotCountAndAReOfferOpensANewWindow() throws Exception {
        try (BackendFixture b = new BackendFixture(dir)) {
            HttpClient operator = b.operator("ops");
            // Larger than what the socket buffers hold, so closing the stream early breaks the transfer off.
            byte[] fw = TestReleases.payloadBytes("big", 24 << 20);
            long[] ids = b.uploadAndAssign(operator, b.good("fw-big", "1.0.0", Map.of("fw.bin", fw)), "dev-big");
            HttpClient device = b.device("dev-big");
            URI fwUri = URI.create(b.controller("dev-big") + "/softwaremodules/" + ids[0] + "/artifacts/fw.bin");

            HttpResponse<InputStream> streaming = device.send(HttpRequest.newBuilder(fwUri).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, streaming.statusCode());
            try (InputStream in = streaming.body()) {
                assertEquals(4096, in.readNBytes(4096).length);
            }
            awaitLogEntries(b, operator, 1);
            HttpResponse<byte[]> fresh = fetch(device, fwUri, null);
            assertEquals(200, fresh.statusCode(), "a fresh download after an interrupted one");
            assertArrayEquals(fw, fresh.body());
            assertEquals(429, fetch(device, fwUri, null).statusCode());

            // The operator closes the action and offers the same release again: a new action, a new window.
            assertEquals(200, postJson(device, URI.create(b.controller("dev-big") + "/deploymentBase/" + ids[1] + "/feedback"),
                    "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}").statusCode());
            HttpResponse<String> reassigned = postJson(operator, b.uri("/rest/v1/targets/dev-big/actions"),
                    "{\"releaseId\":" + ids[0] + "}");
            assertEquals(201, reassigned.statusCode(), reassigned.body());
            assertEquals(206, fetch(device, fwUri, "bytes=0-9").statusCode(), "the re-offer may be downloaded again");
            assertEquals(200, fetch(device, fwUri, null).statusCode());
            assertEquals(429, fetch(device, fwUri, null).statusCode());
            assertTrue(json(BackendFixture.get(operator, b.uri("/rest/v1/download-log/verification"))).get("intact").asBoolean());
        }
        List<String> log = logResults(dir.resolve("data"));
        assertTrue(log.get(0).startsWith("200 aborted"), log.toString());
        assertEquals(List.of("200 complete", "429 DOWNLOAD_REPEATED", "206 complete", "200 complete", "429 DOWNLOAD_REPEATED"),
                log.subList(1, log.size()));
        assertThrows(IllegalArgumentException.class, () -> new io.gantry.backend.config.ArtifactDownloadLimit(0, Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new io.gantry.backend.config.ArtifactDownloadLimit(1, Duration.ZERO));
    }

    private static HttpResponse<byte[]> fetch(HttpClient client, URI uri, String range) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri);
        if (range != null) {
            r.header("Range", range);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Waits until the download log holds {@code entries} entries: the server writes a broken-off
     * transfer's entry when its next write fails, which no event announces, so this asks the
     * verification endpoint (a round trip each time) until it does, for at most 30 s.
     */
    private static void awaitLogEntries(BackendFixture b, HttpClient operator, long entries) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (json(BackendFixture.get(operator, b.uri("/rest/v1/download-log/verification"))).get("entries").asLong() < entries) {
            assertTrue(System.nanoTime() < deadline, "the download log never reached " + entries + " entries");
        }
    }

    private static List<String> logResults(Path data) throws Exception {
        try (Database db = TestDatabases.open(data.resolve("db"))) {
            return db.inTransaction(ArtifactDownloadLimitTest::results);
        }
    }

    private static List<String> results(java.sql.Connection c) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT result FROM download_log ORDER BY id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
