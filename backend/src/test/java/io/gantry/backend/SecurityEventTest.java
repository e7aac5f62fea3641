package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.ReleaseSigning;
import io.gantry.release.SignatureEnvelope;
import io.gantry.testing.TestReleases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rejection over real mutual TLS leaves exactly one security event that operators can list. */
class SecurityEventTest {
    static final byte[] FW = TestReleases.payloadBytes("security-events", 2048);
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient operator;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        operator = backend.operator("auditor");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static List<JsonNode> events(BackendFixture b, HttpClient client, String query) throws Exception {
        HttpResponse<String> r = get(client, b.uri("/rest/v1/security-events" + query));
        assertEquals(200, r.statusCode(), r.body());
        List<JsonNode> out = new ArrayList<>();
        json(r).forEach(out::add);
        return out;
    }

    static long newestId() throws Exception {
        List<JsonNode> newest = events(backend, operator, "?size=1");
        return newest.isEmpty() ? 0 : newest.get(0).get("id").asLong();
    }

    /** @return the one event recorded after {@code id}, failing unless there is exactly one */
    static JsonNode onlyEventAfter(long id) throws Exception {
        List<JsonNode> after = events(backend, operator, "?size=500").stream().filter(e -> e.get("id").asLong() > id).toList();
        assertEquals(1, after.size(), after.toString());
        JsonNode e = after.get(0);
        assertEquals(backend.clock.instant().toString(), e.get("occurredAt").asText());
        return e;
    }

    @Test
    void badSignatureUploadIsRecordedWithTheOperator() throws Exception {
        long before = newestId();
        ReleaseMetadata m = TestReleases.metadata("forged", "1.0.0", Map.of("fw.bin", FW));
        ReleaseSignature sig = ReleaseSigning.sign(MetadataJson.write(m), backend.keys.releaseA.getPrivate(),
                backend.keys.releaseA.getPublic());
        byte[] served = MetadataJson.write(TestReleases.metadata("forged", "6.6.6", Map.of("fw.bin", FW)));
        HttpResponse<String> r = backend.upload(operator,
                backend.releases.archive(served, SignatureEnvelope.write(List.of(sig)), Map.of("fw.bin", FW)));
        assertEquals(422, r.statusCode());

        JsonNode e = onlyEventAfter(before);
        assertEquals("BAD_SIGNATURE", e.get("code").asText());
        assertTrue(e.get("subject").asText().contains("CN=auditor"), e.toString());
        assertTrue(e.get("subject").asText().contains("OU=operators"), e.toString());
        assertEquals("127.0.0.1", e.get("remoteAddress").asText());
        assertTrue(e.get("detail").asText().startsWith("release upload refused: "), e.toString());
        assertTrue(!e.get("detail").asText().contains("6.6.6"), "unsigned metadata is never parsed, so never named");
    }

    @Test
    void unsignedUploadIsRecordedAsMissingSignature() throws Exception {
        long before = newestId();
        byte[] metadata = MetadataJson.write(TestReleases.metadata("unsigned", "1.0.0", Map.of("fw.bin", FW)));
        assertEquals(422, backend.upload(operator, backend.releases.archive(metadata, SignatureEnvelope.write(List.of()),
                Map.of("fw.bin", FW))).statusCode());
        JsonNode e = onlyEventAfter(before);
        assertEquals("MISSING_SIGNATURE", e.get("code").asText());
        assertTrue(e.get("subject").asText().startsWith("CN=auditor,OU=operators"), e.toString());
    }

    @Test
    void hashMismatchUploadNamesTheSignedRelease() throws Exception {
        long before = newestId();
        byte[] evil = FW.clone();
        evil[7] ^= 1;
        ReleaseMetadata m = TestReleases.metadata("swapped", "2.1.0", Map.of("fw.bin", FW));
        assertEquals(422, backend.upload(operator, backend.signed(m, Map.of("fw.bin", evil))).statusCode());
        JsonNode e = onlyEventAfter(before);
        assertEquals("HASH_MISMATCH", e.get("code").asText());
        assertTrue(e.get("detail").asText().startsWith("release swapped 2.1.0 refused: "), e.toString());
    }

    @Test
    void acceptedUploadAndDuplicateAreNotSecurityEvents() throws Exception {
        long before = newestId();
        assertEquals(201, backend.upload(operator, backend.good("fine", "1.0.0", Map.of("fw.bin", FW))).statusCode());
        assertEquals(409, backend.upload(operator, backend.good("fine", "1.0.0", Map.of("fw.bin", FW))).statusCode());
        assertEquals(before, newestId());
    }

    @Test
    void oversizedUploadIsRecordedAsPayloadTooLarge() throws Exception {
        try (BackendFixture small = new BackendFixture(tmp.resolve("small"), 1024)) {
            HttpClient ops = small.operator("ops");
            assertEquals(413, small.upload(ops, small.good("big", "1.0.0", Map.of("fw.bin", FW))).statusCode());
            List<JsonNode> events = events(small, ops, "");
            assertEquals(1, events.size(), events.toString());
            assertEquals("PAYLOAD_TOO_LARGE", events.get(0).get("code").asText());
            assertTrue(events.get(0).get("subject").asText().contains("CN=ops"));
        }
    }

    @Test
    void deviceUsingAnotherControllerIdIsRecordedAsIdentityMismatch() throws Exception {
        long before = newestId();
        assertEquals(403, get(backend.device("dev-a"), backend.controller("dev-b")).statusCode());
        JsonNode e = onlyEventAfter(before);
        assertEquals("IDENTITY_MISMATCH", e.get("code").asText());
        assertTrue(e.get("subject").asText().startsWith("CN=dev-a,OU=devices"), e.toString());
        assertEquals("127.0.0.1", e.get("remoteAddress").asText());
        assertTrue(e.get("detail").asText().startsWith("GET /DEFAULT/controller/v1/dev-b: "), e.toString());
    }

    @Test
    void wrongRoleIsRecordedForBothApis() throws Exception {
        long before = newestId();
        HttpClient device = backend.device("dev-w");
        assertEquals(403, get(device, backend.uri("/rest/v1/security-events")).statusCode());
        JsonNode e = onlyEventAfter(before);
        assertEquals("WRONG_ROLE", e.get("code").asText());
        assertTrue(e.get("detail").asText().startsWith("GET /rest/v1/security-events: "), e.toString());

        long mid = e.get("id").asLong();
        assertEquals(403, get(operator, backend.controller("auditor")).statusCode());
        JsonNode o = onlyEventAfter(mid);
        assertEquals("WRONG_ROLE", o.get("code").asText());
        assertTrue(o.get("subject").asText().startsWith("CN=auditor,OU=operators"), o.toString());
    }

    /** One TLS connection that must not get an HTTP answer (TLS 1.3 reports the refusal after the client's handshake). */
    static void assertRefusedOnOneConnection(ProtectedKeyStore identity) {
        try {
            assertEquals(-1, TlsClients.oneConnection(backend.server.baseUri(), identity, backend.pki.rootCaPem()));
        } catch (IOException refusedWithAnAlert) {
            // the expected outcome with most JDKs: bad_certificate / certificate_required alert
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void certificateFromAnotherCaIsRecordedAsFailedHandshake() throws Exception {
        PkiDirectory rogue = PkiDirectory.create(tmp.resolve("rogue-pki"), PkiDirectory.DEFAULT_SERVER_SANS, Clock.systemUTC());
        rogue.issueDevice("dev-r");
        long before = newestId();
        assertRefusedOnOneConnection(rogue.loadDevice("dev-r"));
        JsonNode e = onlyEventAfter(before);
        assertEquals("TLS_HANDSHAKE_FAILED", e.get("code").asText());
        assertTrue(e.get("subject").isNull(), "an unverified certificate names nobody");
        assertEquals("127.0.0.1", e.get("remoteAddress").asText());
        assertTrue(e.get("detail").asText().startsWith("PKIX path"), e.toString());
    }

    @Test
    void clientWithoutCertificateIsRecordedAsFailedHandshake() throws Exception {
        long before = newestId();
        assertRefusedOnOneConnection(null);
        JsonNode e = onlyEventAfter(before);
        assertEquals("TLS_HANDSHAKE_FAILED", e.get("code").asText());
        assertTrue(e.get("detail").asText().contains("Empty client certificate chain"), e.toString());
    }

    @Test
    void deviceReportingHashMismatchIsRecordedWithItsId() throws Exception {
        long[] ids = backend.uploadAndAssign(operator, backend.good("reported", "1.0.0", Map.of("fw.bin", FW)), "dev-f");
        HttpClient device = backend.device("dev-f");
        URI feedback = URI.create(backend.controller("dev-f") + "/deploymentBase/" + ids[1] + "/feedback");
        long before = newestId();
        assertEquals(200, postJson(device, feedback, "{\"status\":{\"execution\":\"proceeding\",\"result\":{\"finished\":\"none\"},"
                + "\"details\":[\"HASH_MISMATCH is not a rejection while proceeding\"]}}").statusCode());
        assertEquals(before, newestId());
        assertEquals(200, postJson(device, feedback, "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"failure\"},"
                + "\"details\":[\"HASH_MISMATCH: payload fw.bin does not match its signed digest\",\"second line\"]}}").statusCode());
        JsonNode e = onlyEventAfter(before);
        assertEquals("HASH_MISMATCH", e.get("code").asText());
        assertEquals("dev-f", e.get("subject").asText());
        assertEquals("127.0.0.1", e.get("remoteAddress").asText());
        assertEquals("action " + ids[1] + " (release " + ids[0] + ") rejected by the device: HASH_MISMATCH: payload fw.bin "
                + "does not match its signed digest", e.get("detail").asText());
    }

    @Test
    void otherDeviceFailuresAreNotSecurityEvents() throws Exception {
        long[] ids = backend.uploadAndAssign(operator, backend.good("broken", "1.0.0", Map.of("fw.bin", FW)), "dev-g");
        URI feedback = URI.create(backend.controller("dev-g") + "/deploymentBase/" + ids[1] + "/feedback");
        long before = newestId();
        assertEquals(200, postJson(backend.device("dev-g"), feedback, "{\"status\":{\"execution\":\"closed\","
                + "\"result\":{\"finished\":\"failure\"},\"details\":[\"HASH_MISMATCHED_BUT_NOT_A_CODE\",\"BAD_SIGNATURE\"]}}")
                .statusCode());
        assertEquals("ERROR", json(get(operator, backend.uri("/rest/v1/actions/" + ids[1]))).get("status").asText());
        assertEquals(before, newestId());
    }

    @Test
    void listIsNewestFirstAndLimited() throws Exception {
        HttpClient device = backend.device("dev-l");
        for (String other : List.of("dev-l1", "dev-l2", "dev-l3")) {
            assertEquals(403, get(device, backend.controller(other)).statusCode());
        }
        List<JsonNode> two = events(backend, operator, "?size=2");
        assertEquals(2, two.size());
        assertTrue(two.get(0).get("id").asLong() > two.get(1).get("id").asLong());
        assertTrue(two.get(0).get("detail").asText().contains("/dev-l3:"), two.toString());
        assertTrue(two.get(1).get("detail").asText().contains("/dev-l2:"), two.toString());
        JsonNode first = two.get(0);
        for (String field : List.of("id", "occurredAt", "code", "subject", "remoteAddress", "detail")) {
            assertTrue(first.has(field), field);
        }
        assertEquals(6, first.size(), first.toString());
        for (String bad : List.of("size=0", "size=501", "page=-1", "size=ten", "limit=2", "size=2&size=3")) {
            HttpResponse<String> r = get(operator, backend.uri("/rest/v1/security-events?" + bad));
            assertEquals(400, r.statusCode(), bad);
            assertEquals("BAD_REQUEST", json(r).get("code").asText());
        }
    }
}
