package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.backend.config.ServiceSettings;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.release.KeyIds;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootJson;
import io.gantry.testing.TestReleases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend switches to a rotated trust root when a root-signed trust-root release carrying it
 * is uploaded, without a restart (issue 11, item 4): releases that lose their threshold because a
 * signer was revoked are withdrawn (open actions canceled, new assignments 409 RELEASE_WITHDRAWN),
 * uploads signed with the revoked key are refused, a trust-root release that is not a rotation is
 * refused and changes nothing, and a restart keeps the rotated root. Freeze and unfreeze pause and
 * resume exactly the rollouts of the key's releases.
 */
class LiveTrustRootRotationTest {
    private static final String SUCCESS = "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}";
    @TempDir
    Path tmp;

    /** Version 2 of the fixture's root: releaseA revoked, releaseC added to every release role, signed by both root keys. */
    static Map<String, byte[]> rotation(ReleaseKeys keys, KeyPair releaseC, long version, Instant expires) throws Exception {
        TrustRootBuilder b = new TrustRootBuilder(version, expires).key("root1", keys.root1.getPublic())
                .key("root2", keys.root2.getPublic()).key("releaseA", keys.releaseA.getPublic())
                .key("releaseB", keys.releaseB.getPublic()).key("releaseC", releaseC.getPublic())
                .key("otherA", keys.otherA.getPublic()).key("otherB", keys.otherB.getPublic()).root(2, "root1", "root2");
        for (int major = ReleaseKeys.FIRST_MAJOR; major <= ReleaseKeys.LAST_MAJOR; major++) {
            b.releases(major, 2, "releaseA", "releaseB", "releaseC");
        }
        byte[] bytes = TrustRootJson.write(b.releases(ReleaseKeys.OTHER_MAJOR, 2, "otherA", "otherB").revoke("releaseA").build());
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        payloads.put("trust-root.json", bytes);
        payloads.put("trust-root.sigs.json", TestReleases.envelope(bytes, keys.root1, keys.root2));
        return payloads;
    }

    static Path trustRootRelease(BackendFixture backend, Map<String, byte[]> payloads, String version) throws Exception {
        ReleaseMetadata m = new ReleaseMetadata(ReleaseMetadata.SCHEMA, "trust-root", version, ReleaseKind.TRUST_ROOT,
                ReleaseMetadata.GATEWAY_TARGET, backend.clock.instant().minusSeconds(60), backend.clock.instant().plus(Duration.ofDays(30)),
                0, "root officers", TestReleases.metadata("x", version, payloads).payloads());
        return backend.releases.archive(m, payloads, backend.keys.root1, backend.keys.root2);
    }

    private static Map<String, byte[]> fw(String seed) {
        return Map.of("fw.bin", TestReleases.payloadBytes(seed, 128));
    }

    private static String status(BackendFixture b, HttpClient operator, long action) throws Exception {
        return json(get(operator, b.uri("/rest/v1/actions/" + action))).get("status").asText();
    }

    private static HttpResponse<String> post(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTrustRootReleaseRotatesTheBackendWithoutARestartAndWithdrawsWhatTheRevokedKeySigned() throws Exception {
        KeyPair releaseC = TestReleases.newKey();
        String keyA;
        try (BackendFixture backend = new BackendFixture(tmp)) {
            keyA = KeyIds.of(backend.keys.releaseA.getPublic());
            HttpClient operator = backend.operator("officer");
            HttpClient installed = backend.device("dev-installed");
            backend.device("dev-pending");
            // One device installed a release signed by A and B; another has it pending.
            long[] done = backend.uploadAndAssign(operator, backend.good("fw", "1.0.0", fw("a")), "dev-installed");
            get(installed, URI.create(backend.controller("dev-installed") + "/deploymentBase/" + done[1]));
            assertEquals(200, postJson(installed, URI.create(backend.controller("dev-installed") + "/deploymentBase/" + done[1]
                    + "/feedback"), SUCCESS).statusCode());
            long pending = json(postJson(operator, backend.uri("/rest/v1/targets/dev-pending/actions"),
                    "{\"releaseId\":" + done[0] + "}")).get("actionId").asLong();
            HttpResponse<String> other = backend.upload(operator, backend.releases.archive(TestReleases.metadata("other",
                    ReleaseKeys.OTHER_MAJOR + ".0.0", fw("o")), fw("o"), backend.keys.otherA, backend.keys.otherB));
            assertEquals(201, other.statusCode(), other.body());

            JsonNode signed = json(get(operator, backend.uri("/rest/v1/incidents/keys/" + keyA + "/releases")));
            assertEquals(1, signed.size(), signed.toString());
            assertTrue(signed.get(0).get("withdrawnCode").isNull());

            // Not a rotation (version 3 after 1): refused, nothing changes.
            HttpResponse<String> skip = backend.upload(operator, trustRootRelease(backend,
                    rotation(backend.keys, releaseC, 3, backend.clock.instant().plus(Duration.ofDays(300))), "3.0.0"));
            assertEquals(422, skip.statusCode(), skip.body());
            assertEquals("BAD_ROTATION", json(skip).get("code").asText());
            assertEquals(1, json(get(operator, backend.uri("/rest/v1/incidents/trust-root"))).get("version").asLong());

            HttpResponse<String> rotated = backend.upload(operator, trustRootRelease(backend,
                    rotation(backend.keys, releaseC, 2, backend.clock.instant().plus(Duration.ofDays(300))), "2.0.0"));
            assertEquals(201, rotated.statusCode(), rotated.body());
            JsonNode root = json(get(operator, backend.uri("/rest/v1/incidents/trust-root")));
            assertEquals(2, root.get("version").asLong(), "the new root is in force without a restart");
            assertEquals("[\"" + keyA + "\"]", root.get("revokedKeyIds").toString());

            HttpResponse<String> withA = backend.upload(operator, backend.good("fw", "1.1.0", fw("b")));
            assertEquals(422, withA.statusCode(), withA.body());
            assertEquals("THRESHOLD_NOT_MET", json(withA).get("code").asText());
            HttpResponse<String> withC = backend.upload(operator, backend.releases.archive(TestReleases.metadata("fw", "1.1.0", fw("b")),
                    fw("b"), backend.keys.releaseB, releaseC));
            assertEquals(201, withC.statusCode(), withC.body());

            assertEquals("CANCELING", status(backend, operator, pending), "the open action of a withdrawn release is canceled");
            HttpResponse<String> download = get(backend.device("dev-pending"), URI.create(backend.controller("dev-pending")
                    + "/softwaremodules/" + done[0] + "/artifacts/fw.bin"));
            assertEquals(409, download.statusCode(), "none of a withdrawn release is served");
            assertEquals("RELEASE_WITHDRAWN", json(download).get("code").asText());
            HttpResponse<String> again = postJson(operator, backend.uri("/rest/v1/targets/dev-pending/actions"),
                    "{\"releaseId\":" + done[0] + "}");
            assertEquals(409, again.statusCode(), again.body());
            assertEquals("RELEASE_WITHDRAWN", json(again).get("code").asText());
            HttpResponse<String> unaffected = postJson(operator, backend.uri("/rest/v1/targets/dev-pending/actions"),
                    "{\"releaseId\":" + json(other).get("id").asLong() + "}");
            assertEquals(201, unaffected.statusCode(), unaffected.body());

            signed = json(get(operator, backend.uri("/rest/v1/incidents/keys/" + keyA + "/releases")));
            assertEquals("THRESHOLD_NOT_MET", signed.get(0).get("withdrawnCode").asText());
            JsonNode devices = json(get(operator, backend.uri("/rest/v1/incidents/keys/" + keyA + "/devices")));
            assertEquals(1, devices.size(), devices.toString());
            assertEquals("dev-installed", devices.get(0).get("controllerId").asText());
            assertTrue(devices.get(0).get("current").asBoolean());
            String events = get(operator, backend.uri("/rest/v1/security-events?size=50")).body();
            assertTrue(events.contains("TRUST_ROOT_ACTIVATED") && events.contains("RELEASE_WITHDRAWN_BY_ROTATION"), events);

            // A restart keeps the rotated root (the configured file is still version 1).
            backend.server.close();
            try (BackendServer restarted = BackendServer.start(backend.config, ServiceSettings.DEFAULT,
                    EnrollmentConfig.fromPki(backend.pki), null, MqttBrokerConfig.OFF, backend.clock)) {
                URI base = restarted.baseUri();
                assertEquals(2, json(get(operator, base.resolve("/rest/v1/incidents/trust-root"))).get("version").asLong());
                HttpResponse<String> after = operator.send(HttpRequest.newBuilder(base.resolve("/rest/v1/releases"))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofFile(backend.good("fw", "1.2.0", fw("c")))).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                assertEquals(422, after.statusCode(), after.body());
            }
        }
    }

    @Test
    void freezePausesExactlyTheRolloutsOfTheKeysReleasesAndUnfreezeResumesThem() throws Exception {
        try (BackendFixture backend = new BackendFixture(tmp)) {
            String keyA = KeyIds.of(backend.keys.releaseA.getPublic());
            HttpClient operator = backend.operator("officer");
            backend.device("dev-1");
            assertEquals(200, get(backend.device("dev-1"), backend.controller("dev-1")).statusCode());
            long byA = json(backend.upload(operator, backend.good("fw", "1.0.0", fw("a")))).get("id").asLong();
            long notByA = json(backend.upload(operator, backend.releases.archive(TestReleases.metadata("other",
                    ReleaseKeys.OTHER_MAJOR + ".0.0", fw("o")), fw("o"), backend.keys.otherA, backend.keys.otherB))).get("id").asLong();
            long affected = json(postJson(operator, backend.uri("/rest/v1/rollouts"), "{\"name\":\"a\",\"releaseId\":" + byA
                    + ",\"percentages\":[100]}")).get("id").asLong();
            long unaffected = json(postJson(operator, backend.uri("/rest/v1/rollouts"), "{\"name\":\"b\",\"releaseId\":" + notByA
                    + ",\"percentages\":[100]}")).get("id").asLong();
            backend.server.rollouts().tick();

            JsonNode frozen = json(post(operator, backend.uri("/rest/v1/incidents/keys/" + keyA + "/freeze")));
            assertEquals("[" + affected + "]", frozen.get("changed").toString(), frozen.toString());
            JsonNode r = json(get(operator, backend.uri("/rest/v1/rollouts/" + affected)));
            assertEquals("PAUSED", r.get("state").asText());
            assertTrue(r.get("pauseReason").asText().contains(keyA), r.toString());
            assertEquals("RUNNING", json(get(operator, backend.uri("/rest/v1/rollouts/" + unaffected))).get("state").asText());

            JsonNode thawed = json(post(operator, backend.uri("/rest/v1/incidents/keys/" + keyA + "/unfreeze")));
            assertEquals("[" + affected + "]", thawed.get("changed").toString());
            assertEquals("RUNNING", json(get(operator, backend.uri("/rest/v1/rollouts/" + affected))).get("state").asText());
            HttpResponse<String> twice = post(operator, backend.uri("/rest/v1/incidents/keys/" + keyA + "/unfreeze"));
            assertEquals(409, twice.statusCode());
            assertEquals("NOT_FROZEN", json(twice).get("code").asText());
            HttpResponse<String> bad = post(operator, backend.uri("/rest/v1/incidents/keys/not-a-key/freeze"));
            assertEquals(400, bad.statusCode());
        }
    }
}
