package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.pki.EcKeys;
import io.gantry.release.KeyIds;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.ReleaseSigning;
import io.gantry.release.SignatureEnvelope;
import io.gantry.testing.TestReleases;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads are verified like a device would verify them; a rejected upload stores nothing. */
class ReleaseUploadTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient operator;
    static final byte[] FW = TestReleases.payloadBytes("upload-test", 4096);

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        operator = backend.operator("release-manager");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    /** Asserts a 422 with {@code code} and that neither a release row nor an artifact file appeared. */
    static void assertRejected(Path archive, String code) throws Exception {
        int releasesBefore = json(get(operator, backend.uri("/rest/v1/releases"))).size();
        long artifactsBefore = storedArtifacts();
        HttpResponse<String> r = backend.upload(operator, archive);
        assertEquals(422, r.statusCode(), r.body());
        assertEquals(code, json(r).get("code").asText());
        assertTrue(json(r).get("message").asText().length() > 0);
        assertEquals(releasesBefore, json(get(operator, backend.uri("/rest/v1/releases"))).size());
        assertEquals(artifactsBefore, storedArtifacts());
    }

    static long storedArtifacts() throws Exception {
        try (Stream<Path> files = Files.list(tmp.resolve("data/artifacts/sha256"))) {
            return files.count();
        }
    }

    @Test
    void acceptsSignedReleaseAndReportsItsSigner() throws Exception {
        HttpResponse<String> r = backend.upload(operator, backend.good("accepted", "1.0.0", Map.of("fw.bin", FW)));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("accepted", body.get("name").asText());
        assertEquals("1.0.0", body.get("version").asText());
        assertEquals("firmware", body.get("kind").asText());
        assertEquals("acme-sensor", body.get("target").asText());
        assertEquals(KeyIds.of(backend.keys.releaseA.getPublic()), body.at("/signers/0").asText());
        assertTrue(r.headers().firstValue("Location").orElseThrow().endsWith("/rest/v1/releases/" + body.get("id").asLong()));
        assertEquals("accepted", json(get(operator, backend.uri("/rest/v1/releases/" + body.get("id").asLong()))).get("name").asText());
        assertTrue(Files.isRegularFile(tmp.resolve("data/artifacts/sha256/" + TestReleases.sha256(FW))));
    }

    @Test
    void rejectsDuplicateNameAndVersion() throws Exception {
        assertEquals(201, backend.upload(operator, backend.good("dup", "1.0.0", Map.of("fw.bin", FW))).statusCode());
        HttpResponse<String> again = backend.upload(operator, backend.good("dup", "1.0.0", Map.of("fw.bin", FW)));
        assertEquals(409, again.statusCode());
        assertEquals("DUPLICATE_RELEASE", json(again).get("code").asText());
    }

    @Test
    void rejectsBadSignatureOverTamperedMetadata() throws Exception {
        ReleaseMetadata m = TestReleases.metadata("tampered-meta", "1.0.0", Map.of("fw.bin", FW));
        byte[] signed = MetadataJson.write(m);
        ReleaseSignature sig = ReleaseSigning.sign(signed, backend.keys.releaseA.getPrivate(),
                backend.keys.releaseA.getPublic());
        byte[] served = MetadataJson.write(TestReleases.metadata("tampered-meta", "9.0.0", Map.of("fw.bin", FW)));
        assertRejected(backend.releases.archive(served, SignatureEnvelope.write(List.of(sig)), Map.of("fw.bin", FW)), "BAD_SIGNATURE");
    }

    @Test
    void rejectsReleaseFromUnknownSigner() throws Exception {
        KeyPair stranger = EcKeys.generateP256();
        ReleaseMetadata m = TestReleases.metadata("stranger", "1.0.0", Map.of("fw.bin", FW));
        assertRejected(backend.releases.archive(m, Map.of("fw.bin", FW), stranger), "UNKNOWN_SIGNER");
    }

    @Test
    void rejectsUnsignedRelease() throws Exception {
        byte[] metadata = MetadataJson.write(TestReleases.metadata("unsigned", "1.0.0", Map.of("fw.bin", FW)));
        assertRejected(backend.releases.archive(metadata, SignatureEnvelope.write(List.of()), Map.of("fw.bin", FW)),
                "MISSING_SIGNATURE");
    }

    @Test
    void rejectsTamperedPayload() throws Exception {
        ReleaseMetadata m = TestReleases.metadata("tampered-payload", "1.0.0", Map.of("fw.bin", FW));
        byte[] evil = FW.clone();
        evil[100] ^= 1;
        assertRejected(backend.signed(m, Map.of("fw.bin", evil)), "HASH_MISMATCH");
    }

    @Test
    void rejectsPayloadLongerThanSigned() throws Exception {
        ReleaseMetadata m = TestReleases.metadata("endless", "1.0.0", Map.of("fw.bin", FW));
        byte[] longer = java.util.Arrays.copyOf(FW, FW.length + 1);
        assertRejected(backend.signed(m, Map.of("fw.bin", longer)), "ENDLESS_DATA");
    }

    @Test
    void rejectsPayloadOutsideTheSignedList() throws Exception {
        ReleaseMetadata m = TestReleases.metadata("smuggler", "1.0.0", Map.of("fw.bin", FW));
        Map<String, byte[]> archived = new LinkedHashMap<>(Map.of("fw.bin", FW));
        archived.put("backdoor.sh", "rm -rf /".getBytes());
        assertRejected(backend.signed(m, archived), "MALFORMED");
    }

    @Test
    void rejectsPayloadNamedLikeTheMetadataDocument() throws Exception {
        Map<String, byte[]> payloads = Map.of("release.json", FW);
        assertRejected(backend.good("shadow", "1.0.0", payloads), "MALFORMED");
    }

    @Test
    void rejectsBytesThatAreNotAnArchive() throws Exception {
        assertRejected(Files.write(tmp.resolve("garbage.zip"), "not a zip at all".getBytes()), "MALFORMED");
    }

    @Test
    void refusesUploadsBeyondTheCapWith413() throws Exception {
        try (BackendFixture small = new BackendFixture(tmp.resolve("small"), 1024)) {
            HttpResponse<String> r = small.upload(small.operator("ops"),
                    small.good("big", "1.0.0", Map.of("fw.bin", FW)));
            assertEquals(413, r.statusCode());
            assertEquals("PAYLOAD_TOO_LARGE", json(r).get("code").asText());
            // Without Content-Length (chunked), the spool stops one byte past the cap.
            Path archive = small.good("big", "1.0.1", Map.of("fw.bin", FW));
            HttpResponse<String> chunked = small.operator("ops").send(java.net.http.HttpRequest.newBuilder(small.uri("/rest/v1/releases"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> {
                        try {
                            return Files.newInputStream(archive);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, chunked.statusCode());
            assertEquals(0, json(get(small.operator("ops"), small.uri("/rest/v1/releases"))).size());
        }
    }
}
