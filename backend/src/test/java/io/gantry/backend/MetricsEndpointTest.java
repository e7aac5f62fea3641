package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.release.ReleaseMetadata;
import io.gantry.backend.config.DownloadQuota;
import io.gantry.testing.PrometheusExposition;
import io.gantry.testing.TestReleases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /metrics after real traffic over mutual TLS: polls, downloads, refusals, a refused upload, a
 * device's reported rejection, a refused handshake, a revocation, an EST refusal and a rollout, each
 * seen to move its metric in a strictly parsed exposition.
 */
class MetricsEndpointTest {
    @TempDir
    Path tmp;

    @Test
    void countersAndGaugesFollowRealTrafficOverMutualTls() throws Exception {
        try (BackendFixture backend = new BackendFixture(tmp,
                c -> c.withDownloadQuota(new DownloadQuota(3, 1L << 30, Duration.ofMinutes(10))), null,
                s -> s.withMetrics("127.0.0.1", 0, Duration.ZERO))) {
            URI metrics = backend.server.metricsUri();
            assertNotNull(metrics);
            assertEquals("127.0.0.1", metrics.getHost(), "loopback unless the operator binds it elsewhere");
            PrometheusExposition before = scrape(metrics);
            assertEquals("counter", before.type("gantry_device_polls_total"));
            assertEquals(0.0, before.value("gantry_device_polls_total", "result", "idle").orElseThrow(), "present from the start, at 0");

            HttpClient ops = backend.operator("ops");
            HttpClient device = backend.device("m-dev");
            assertEquals(200, get(device, backend.controller("m-dev")).statusCode());
            long[] ids = backend.uploadAndAssign(ops, backend.good("m-fw", "1.0.0",
                    Map.of("fw.bin", TestReleases.payloadBytes("metrics", 1000))), "m-dev");
            assertEquals(200, get(device, backend.controller("m-dev")).statusCode());
            URI artifact = URI.create(backend.controller("m-dev") + "/softwaremodules/" + ids[0] + "/artifacts/fw.bin");
            for (int i = 0; i < 2; i++) {
                assertEquals(206, device.send(HttpRequest.newBuilder(artifact).header("Range", "bytes=0-9").build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            HttpResponse<byte[]> whole = device.send(HttpRequest.newBuilder(artifact).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, whole.statusCode());
            assertEquals(1000, whole.body().length);
            HttpResponse<String> repeated = get(device, artifact);
            assertEquals(429, repeated.statusCode());
            assertEquals("DOWNLOAD_REPEATED", json(repeated).get("code").asText());
            HttpResponse<String> limited = get(device, URI.create(backend.controller("m-dev") + "/softwaremodules/" + ids[0]
                    + "/artifacts/release.json"));
            assertEquals(429, limited.statusCode());
            assertEquals("DOWNLOAD_LIMIT", json(limited).get("code").asText(), "three downloads per window in this backend");
            assertEquals(404, get(device, URI.create(backend.controller("m-dev") + "/softwaremodules/" + ids[0]
                    + "/artifacts/nope.bin")).statusCode());
            assertEquals(200, postJson(device, URI.create(backend.controller("m-dev") + "/deploymentBase/" + ids[1] + "/feedback"),
                    "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"failure\"},"
                            + "\"details\":[\"HASH_MISMATCH: fw.bin differs from its signed digest\"]}}").statusCode());

            ReleaseMetadata m = TestReleases.metadata("m-fw", "1.0.1", Map.of("fw.bin", new byte[] {1, 2, 3}));
            HttpResponse<String> oneKey = backend.upload(ops, backend.releases.archive(m, Map.of("fw.bin", new byte[] {1, 2, 3}),
                    backend.keys.releaseA));
            assertEquals(422, oneKey.statusCode(), oneKey.body());
            String uploadCode = json(oneKey).get("code").asText();

            try {
                TlsClients.oneConnection(backend.server.baseUri(), null, backend.pki.rootCaPem());
            } catch (IOException refused) {
                // the handshake without a client certificate is refused: what the metric counts
            }
            String serial = backend.pki.loadDevice("m-dev").chain().get(0).getSerialNumber().toString(16);
            assertEquals(200, postJson(ops, backend.uri("/rest/v1/certificates/revocations"),
                    "{\"serials\":[\"" + serial + "\"],\"reason\":\"keyCompromise\"}").statusCode());
            HttpClient renewing = backend.device("m-renew");
            HttpResponse<String> badCsr = renewing.send(HttpRequest.newBuilder(backend.uri("/.well-known/est/simplereenroll"))
                    .header("Content-Type", "application/pkcs10").POST(HttpRequest.BodyPublishers.ofString("not a csr")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badCsr.statusCode() / 100 * 100, badCsr.body());
            long rollout = startRollout(backend, ops, renewing);

            PrometheusExposition after = waitForHandshakeCount(metrics, before);
            assertEquals(2, delta(before, after, "gantry_device_polls_total", "result", "idle"), "m-dev, then m-renew");
            assertEquals(1, delta(before, after, "gantry_device_polls_total", "result", "deployment"));
            assertEquals(3, delta(before, after, "gantry_artifact_downloads_total", "result", "complete"));
            assertEquals(1000 + 2 * 10, delta(before, after, "gantry_artifact_download_bytes_total"));
            assertEquals(1, delta(before, after, "gantry_artifact_download_refusals_total", "code", "DOWNLOAD_LIMIT"));
            assertEquals(1, delta(before, after, "gantry_artifact_download_refusals_total", "code", "DOWNLOAD_REPEATED"));
            assertEquals(1, delta(before, after, "gantry_artifact_download_refusals_total", "code", "ARTIFACT_NOT_FOUND"));
            assertEquals(1, delta(before, after, "gantry_release_rejections_total", "source", "device", "code", "HASH_MISMATCH"));
            assertEquals(1, delta(before, after, "gantry_release_rejections_total", "source", "upload", "code", uploadCode));
            assertTrue(delta(before, after, "gantry_tls_handshake_failures_total", "code", "TLS_HANDSHAKE_FAILED") >= 1);
            assertEquals(1, delta(before, after, "gantry_certificates_revoked_total", "reason", "keyCompromise"));
            assertEquals(1, delta(before, after, "gantry_est_requests_total", "operation", "simplereenroll", "result", "refused"));
            assertEquals(1, delta(before, after, "gantry_security_events_total", "code", "DOWNLOAD_LIMIT"));

            assertEquals("gauge", after.type("gantry_certificates_expiring"));
            assertTrue(after.valueOrZero("gantry_certificates_expiring", "role", "devices", "within_days", "+Inf") >= 1,
                    "m-renew's certificate is in force");
            assertEquals(0.0, after.valueOrZero("gantry_certificates_expiring", "role", "devices", "within_days", "365"),
                    "device certificates run five years");
            assertTrue(after.value("gantry_certificate_soonest_expiry_days", "role", "devices").orElseThrow() > 4 * 365);
            assertEquals(1.0, after.valueOrZero("gantry_rollouts", "state", "running"));
            double members = 0;
            for (String state : new String[] {"waiting", "held", "pending", "running"}) {
                members += after.valueOrZero("gantry_rollout_devices", "rollout", Long.toString(rollout), "state", state);
            }
            assertEquals(1.0, members, "the rollout's one device, wherever it is");
            for (String series : after.series("gantry_device_polls_total")) {
                assertTrue(!series.contains("m-dev"), "no device ids in labels: " + series);
            }
        }
    }

    @Test
    void servesOnlyGetMetrics() throws Exception {
        try (BackendFixture backend = new BackendFixture(tmp, c -> c, null, s -> s.withMetrics("127.0.0.1", 0, Duration.ZERO))) {
            HttpClient plain = HttpClient.newHttpClient();
            HttpResponse<String> ok = plain.send(HttpRequest.newBuilder(backend.server.metricsUri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertTrue(ok.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            assertEquals(404, plain.send(HttpRequest.newBuilder(backend.server.metricsUri().resolve("/rest/v1/releases")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(405, plain.send(HttpRequest.newBuilder(backend.server.metricsUri())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    /** Tags {@code device}'s target, uploads a release and starts a one-group rollout over it; @return its id. */
    private static long startRollout(BackendFixture backend, HttpClient ops, HttpClient device) throws Exception {
        assertEquals(200, get(device, backend.controller("m-renew")).statusCode());
        assertEquals(200, postJson(ops, backend.uri("/rest/v1/targets/m-renew/tags"), "{\"add\":[\"m-wave\"]}").statusCode());
        HttpResponse<String> up = backend.upload(ops, backend.good("m-roll", "1.0.0", Map.of("fw.bin", TestReleases.payloadBytes("r", 64))));
        assertEquals(201, up.statusCode(), up.body());
        HttpResponse<String> created = postJson(ops, backend.uri("/rest/v1/rollouts"), "{\"name\":\"m\",\"releaseId\":"
                + json(up).get("id").asLong() + ",\"filter\":{\"tags\":[\"m-wave\"]},\"percentages\":[100],"
                + "\"errorThreshold\":{\"count\":1},\"maxStartsPerMinute\":100}");
        assertEquals(201, created.statusCode(), created.body());
        backend.server.rollouts().tick();
        return json(created).get("id").asLong();
    }

    /** The handshake listener runs after the client saw the alert: scrape until it counted, at most 10 s. */
    private static PrometheusExposition waitForHandshakeCount(URI metrics, PrometheusExposition before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        PrometheusExposition now = scrape(metrics);
        while (delta(before, now, "gantry_tls_handshake_failures_total", "code", "TLS_HANDSHAKE_FAILED") < 1
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = scrape(metrics);
        }
        return now;
    }

    private static double delta(PrometheusExposition before, PrometheusExposition after, String name, String... labels) {
        return after.valueOrZero(name, labels) - before.valueOrZero(name, labels);
    }

    private static PrometheusExposition scrape(URI metrics) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return PrometheusExposition.parse(r.body());
    }
}
