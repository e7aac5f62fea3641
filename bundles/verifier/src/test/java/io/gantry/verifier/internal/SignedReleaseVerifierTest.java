package io.gantry.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ArchiveSigning;
import io.gantry.release.KeyIds;
import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedReleaseVerifierTest {
    @TempDir
    Path dir;
    KeyPair signer;
    Path trust;
    Path staging;

    @BeforeEach
    void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        signer = g.generateKeyPair();
        trust = Files.createDirectories(dir.resolve("trust"));
        PemFiles.writePublicKey(trust.resolve("signer.pem"), signer.getPublic());
        staging = dir.resolve("staging");
    }

    Path release(byte[] payload, KeyPair key) throws Exception {
        Path fw = Files.write(dir.resolve("fw.bin"), payload);
        Path archive = dir.resolve("r-" + System.nanoTime() + ".gantry");
        ReleaseBuilder.buildUnsigned(archive, "fw", "1.0.0", ReleaseKind.FIRMWARE, "acme-sensor", "tester",
                Instant.parse("2026-11-26T00:00:00Z"), Map.of("fw.bin", fw));
        if (key != null) {
            ArchiveSigning.addSignature(archive, archive, key.getPrivate(), key.getPublic());
        }
        return archive;
    }

    ReleaseRejectedException rejection(Path archive) throws Exception {
        SignedReleaseVerifier v = new SignedReleaseVerifier(trust, staging);
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            return assertThrows(ReleaseRejectedException.class, () -> v.verify(src));
        }
    }

    @Test
    void verifiesGenuineReleaseAndExposesExactBytes() throws Exception {
        byte[] payload = "ACME-FW 1.0.0\nbody".getBytes();
        SignedReleaseVerifier v = new SignedReleaseVerifier(trust, staging);
        try (ArchiveReleaseSource src = ReleaseArchive.open(release(payload, signer));
                VerifiedRelease r = v.verify(src)) {
            assertEquals(List.of(KeyIds.of(signer.getPublic())), r.signerKeyIds());
            try (InputStream in = r.payloads().get(0).open()) {
                assertArrayEquals(payload, in.readAllBytes());
            }
        }
        assertEquals(0, countFiles(staging), "closing the release discards its staging");
    }

    @Test
    void rejectsTamperedPayloadAndLeavesNoStaging() throws Exception {
        Path archive = release("good".getBytes(), signer);
        // Swap the payload for other bytes of the same length inside an otherwise genuine archive.
        Path evil = dir.resolve("evil.bin");
        Files.write(evil, "evil".getBytes());
        byte[] metadata;
        byte[] sigs;
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            metadata = src.metadata();
            sigs = src.signatures();
        }
        ReleaseArchive.write(archive, metadata, sigs, Map.of("fw.bin", evil));
        assertEquals(RejectionCode.HASH_MISMATCH, rejection(archive).code());
        assertEquals(0, countFiles(staging));
    }

    @Test
    void rejectsUnsignedAndUnknownSigner() throws Exception {
        assertEquals(RejectionCode.MISSING_SIGNATURE, rejection(release("x".getBytes(), null)).code());
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        assertEquals(RejectionCode.UNKNOWN_SIGNER, rejection(release("x".getBytes(), g.generateKeyPair())).code());
    }

    @Test
    void rejectsEverythingWithoutTrustAnchors() throws Exception {
        Files.delete(trust.resolve("signer.pem"));
        assertEquals(RejectionCode.NO_TRUST_ANCHOR, rejection(release("x".getBytes(), signer)).code());
    }

    @Test
    void stagedCopyChangedAfterVerificationFailsOnRead() throws Exception {
        SignedReleaseVerifier v = new SignedReleaseVerifier(trust, staging);
        try (ArchiveReleaseSource src = ReleaseArchive.open(release("original".getBytes(), signer));
                VerifiedRelease r = v.verify(src)) {
            Path staged;
            try (Stream<Path> s = Files.walk(staging)) {
                staged = s.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            staged.toFile().setWritable(true);
            Files.write(staged, "replaced".getBytes());
            try (InputStream in = r.payloads().get(0).open()) {
                assertThrows(IOException.class, in::readAllBytes);
            }
        }
    }

    private static long countFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
