package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.release.KeyIds;
import io.gantry.testing.TestReleases;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend applies the gateway's trust root on upload (issue 3): publishing below the role
 * threshold, with keys of another major version, or after expiry is refused with 422, recorded as
 * a security event, and stores nothing.
 */
class TrustRootUploadTest {
    static final Map<String, byte[]> FW = Map.of("fw.bin", TestReleases.payloadBytes("trust-root-upload", 3000));
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient operator;
    static ReleaseKeys keys;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        operator = backend.operator("publisher");
        keys = backend.keys;
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    /** Uploads, expects 422 {@code code}, one security event naming the operator, and nothing stored. */
    static void assertRefusedAndRecorded(Path archive, String code) throws Exception {
        int releasesBefore = json(get(operator, backend.uri("/rest/v1/releases"))).size();
        long artifactsBefore = storedArtifacts();
        List<JsonNode> eventsBefore = SecurityEventTest.events(backend, operator, "?size=500");
        HttpResponse<String> r = backend.upload(operator, archive);
        assertEquals(422, r.statusCode(), r.body());
        assertEquals(code, json(r).get("code").asText());
        assertEquals(releasesBefore, json(get(operator, backend.uri("/rest/v1/releases"))).size());
        assertEquals(artifactsBefore, storedArtifacts());
        List<JsonNode> events = SecurityEventTest.events(backend, operator, "?size=500");
        assertEquals(eventsBefore.size() + 1, events.size(), events.toString());
        JsonNode e = events.get(0);
        assertEquals(code, e.get("code").asText());
        assertTrue(e.get("subject").asText().startsWith("CN=publisher,OU=operators"), e.toString());
        assertTrue(e.get("detail").asText().startsWith("release upload refused: "), e.toString());
    }

    static long storedArtifacts() throws Exception {
        try (Stream<Path> files = Files.list(tmp.resolve("data/artifacts/sha256"))) {
            return files.count();
        }
    }

    @Test
    void acceptedUploadNamesTheRoleAndItsSigners() throws Exception {
        HttpResponse<String> r = backend.upload(operator, backend.good("two-person", "1.2.0", FW));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("releases/1", body.get("role").asText());
        assertEquals("[\"releaseA\",\"releaseB\"]", body.get("signerNames").toString());
        assertEquals(KeyIds.of(keys.releaseA.getPublic()), body.at("/signers/0").asText());
        assertEquals(KeyIds.of(keys.releaseB.getPublic()), body.at("/signers/1").asText());
    }

    /**
     * A rotation reaches the fleet through the backend like any release (issue 10, item 8): a
     * TRUST_ROOT release signed by the root role is stored, listed and assignable; the gateway's
     * verifier then applies its own rotation rule to the root it carries. The backend applies the
     * same rule first (issue 11, item 4): a trust-root release whose payload is no rotation of the
     * current root is refused; LiveTrustRootRotationTest covers an accepted one.
     */
    @Test
    void aTrustRootReleaseCarryingNoRotationIsRefused() throws Exception {
        Map<String, byte[]> root = Map.of("trust-root.json", "{\"version\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "trust-root.sigs.json", "{\"signatures\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ReleaseMetadata m = new ReleaseMetadata(ReleaseMetadata.SCHEMA, "trust-root", "2.0.0", ReleaseKind.TRUST_ROOT,
                ReleaseMetadata.GATEWAY_TARGET, backend.clock.instant().minusSeconds(60), backend.clock.instant().plus(Duration.ofDays(7)),
                1, "root officers", TestReleases.metadata("x", "2.0.0", root).payloads());
        int releasesBefore = json(get(operator, backend.uri("/rest/v1/releases"))).size();
        HttpResponse<String> r = backend.upload(operator, backend.releases.archive(m, root, keys.root1, keys.root2));
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("MALFORMED", json(r).get("code").asText());
        assertEquals(releasesBefore, json(get(operator, backend.uri("/rest/v1/releases"))).size());
        JsonNode e = SecurityEventTest.events(backend, operator, "?size=1").get(0);
        assertEquals("MALFORMED", e.get("code").asText());
        assertTrue(e.get("detail").asText().startsWith("release trust-root 2.0.0 refused: "), e.toString());
    }

    @Test
    void oneSignatureIsBelowTheThreshold() throws Exception {
        ReleaseMetadata m = TestReleases.metadata("lone-signer", "1.0.0", FW);
        assertRefusedAndRecorded(backend.releases.archive(m, FW, keys.releaseA), "THRESHOLD_NOT_MET");
    }

    @Test
    void sameKeySigningTwiceIsStillOneSigner() throws Exception {
        ReleaseMetadata m = TestReleases.metadata("echo", "1.0.0", FW);
        assertRefusedAndRecorded(backend.releases.archive(m, FW, keys.releaseB, keys.releaseB), "THRESHOLD_NOT_MET");
    }

    @Test
    void keysOfAnotherMajorVersionAreUnauthorized() throws Exception {
        String next = ReleaseKeys.OTHER_MAJOR + ".0.0";
        assertRefusedAndRecorded(backend.releases.archive(TestReleases.metadata("next-major", next, FW), FW,
                keys.releaseA, keys.releaseB), "UNAUTHORIZED_SIGNER");
        assertRefusedAndRecorded(backend.releases.archive(TestReleases.metadata("old-major", "1.0.0", FW), FW,
                keys.otherA, keys.otherB), "UNAUTHORIZED_SIGNER");
        HttpResponse<String> own = backend.upload(operator,
                backend.releases.archive(TestReleases.metadata("next-major", next, FW), FW, keys.otherA, keys.otherB));
        assertEquals(201, own.statusCode(), own.body());
        assertEquals("releases/" + ReleaseKeys.OTHER_MAJOR, json(own).get("role").asText());
    }

    @Test
    void rootKeysMayNotSignReleases() throws Exception {
        ReleaseMetadata m = TestReleases.metadata("root-signed", "1.0.0", FW);
        assertRefusedAndRecorded(backend.releases.archive(m, FW, keys.root1, keys.root2), "UNAUTHORIZED_SIGNER");
    }

    @Test
    void expiredReleaseIsRefused() throws Exception {
        Instant now = backend.clock.instant();
        ReleaseMetadata fresh = TestReleases.metadata("stale", "1.0.0", FW);
        ReleaseMetadata expired = new ReleaseMetadata(ReleaseMetadata.SCHEMA, "stale", "1.0.0", ReleaseKind.FIRMWARE,
                fresh.target(), now.minus(Duration.ofDays(2)), now.minusSeconds(1), 0, fresh.builtBy(), fresh.payloads());
        assertRefusedAndRecorded(backend.signed(expired, FW), "EXPIRED");
    }
}
