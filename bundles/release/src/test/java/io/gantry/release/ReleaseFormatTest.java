package io.gantry.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.BadSignatureException;
import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.api.verify.MissingSignatureException;
import io.gantry.api.verify.NoTrustAnchorException;
import io.gantry.api.verify.PayloadHashMismatchException;
import io.gantry.api.verify.PayloadSizeException;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.UnknownSignerException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseFormatTest {
    static final byte[] PAYLOAD = "firmware image".getBytes(StandardCharsets.UTF_8);

    static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static ReleaseMetadata metadata() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PAYLOAD));
        return new ReleaseMetadata(ReleaseMetadata.SCHEMA, "acme-fw", "1.2.3", ReleaseKind.FIRMWARE,
                "acme-sensor", Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2027-11-26T10:00:00Z"), 7, "Alice",
                List.of(new PayloadInfo("fw.bin", sha, PAYLOAD.length)));
    }

    @Test
    void metadataRoundTripsThroughCanonicalJson() throws Exception {
        byte[] json = MetadataJson.write(metadata());
        assertEquals(metadata(), MetadataJson.parse(json));
        assertArrayEquals(json, MetadataJson.write(MetadataJson.parse(json)));
    }

    @Test
    void rejectsDuplicateKeys() throws Exception {
        String json = new String(MetadataJson.write(metadata()), StandardCharsets.UTF_8);
        String dup = json.replace("\"version\":\"1.2.3\"", "\"version\":\"1.2.3\",\"version\":\"9.9.9\"");
        assertThrows(MalformedReleaseException.class, () -> MetadataJson.parse(dup.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsUnknownFieldsAndTrailingData() throws Exception {
        String json = new String(MetadataJson.write(metadata()), StandardCharsets.UTF_8);
        assertThrows(MalformedReleaseException.class,
                () -> MetadataJson.parse(json.replace("{\"schema\"", "{\"extra\":1,\"schema\"").getBytes(StandardCharsets.UTF_8)));
        assertThrows(MalformedReleaseException.class,
                () -> MetadataJson.parse((json + "{}").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsPayloadNameWithPath() throws Exception {
        String json = new String(MetadataJson.write(metadata()), StandardCharsets.UTF_8).replace("fw.bin", "../fw.bin");
        assertThrows(MalformedReleaseException.class, () -> MetadataJson.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void payloadCheckCutsAtSignedSizeAndChecksDigest() throws Exception {
        PayloadInfo info = metadata().payloads().get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PayloadCheck.copyVerified(info, new ByteArrayInputStream(PAYLOAD), out);
        assertArrayEquals(PAYLOAD, out.toByteArray());

        byte[] longer = (new String(PAYLOAD, StandardCharsets.UTF_8) + "!!!!").getBytes(StandardCharsets.UTF_8);
        PayloadSizeException endless = assertThrows(PayloadSizeException.class,
                () -> PayloadCheck.copyVerified(info, new ByteArrayInputStream(longer), new ByteArrayOutputStream()));
        assertEquals(RejectionCode.ENDLESS_DATA, endless.code());
        assertEquals(info.size() + 1, endless.received());

        byte[] tampered = PAYLOAD.clone();
        tampered[0] ^= 1;
        assertThrows(PayloadHashMismatchException.class,
                () -> PayloadCheck.copyVerified(info, new ByteArrayInputStream(tampered), new ByteArrayOutputStream()));
    }

    @Test
    void archiveRoundTripAndRejectsTraversalEntries(@TempDir Path dir) throws Exception {
        Path payload = Files.write(dir.resolve("fw.bin"), PAYLOAD);
        byte[] m = MetadataJson.write(metadata());
        Path archive = dir.resolve("r.gantry");
        ReleaseArchive.write(archive, m, SignatureEnvelope.write(List.of()), Map.of("fw.bin", payload));
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            assertArrayEquals(m, src.metadata());
            assertArrayEquals(PAYLOAD, src.openPayload("fw.bin").readAllBytes());
        }
        Path evil = dir.resolve("evil.gantry");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(evil))) {
            zip.putNextEntry(new ZipEntry(ReleaseArchive.METADATA));
            zip.write(m);
            zip.putNextEntry(new ZipEntry("payloads/../../etc/passwd"));
            zip.write(PAYLOAD);
        }
        assertThrows(MalformedReleaseException.class, () -> ReleaseArchive.open(evil));
    }
}
