package io.gantry.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootJson;
import io.gantry.testing.InMemoryReleases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SignedReleaseVerifierTest extends VerifierFixture {
    @Test
    void verifiesTwoPersonReleaseAndExposesExactBytes() throws Exception {
        byte[] payload = "ACME-FW 1.0.0\nbody".getBytes();
        try (VerifiedRelease r = verified(release("1.0.0", 1, payload, "alice", "bob"))) {
            assertEquals(List.of("alice", "bob"), r.signerNames());
            assertEquals("releases/1", r.role());
            try (InputStream in = r.payloads().get(0).open()) {
                assertArrayEquals(payload, in.readAllBytes());
            }
        }
        assertEquals(0, countFiles(staging), "closing the release discards its staging");
    }

    @Test
    void payloadIsOpenedWithItsSignedSizeForTheDownloadDeadline() throws Exception {
        byte[] payload = new byte[12_345];
        List<Long> sizes = new ArrayList<>();
        try (ArchiveReleaseSource archive = ReleaseArchive.open(release("1.0.0", 1, payload, "alice", "bob"))) {
            ReleaseSource src = new InMemoryReleases.ForwardingSource(archive) {
                @Override
                public InputStream openPayload(String name) {
                    throw new AssertionError("the verifier must pass the signed size");
                }

                @Override
                public InputStream openPayload(String name, long signedSize) throws IOException {
                    sizes.add(signedSize);
                    return archive.openPayload(name);
                }
            };
            try (VerifiedRelease r = verifier(NOW).verify(src)) {
                assertEquals(1, r.payloads().size());
            }
        }
        assertEquals(List.of(12_345L), sizes);
    }

    @Test
    void backendTlsPolicyChangesOnlyWithASignedTrustRootRotation() throws Exception {
        TrustRootHolder holder = new TrustRootHolder(trustRoot, dir.resolve("data/trust-root.json"), 2);
        SignedReleaseVerifier v = new SignedReleaseVerifier(holder,
                new AntiRollback(counters, Clock.fixed(NOW, ZoneOffset.UTC)), staging);
        assertEquals(java.util.Optional.empty(), v.current(), "the provisioned root carries no tls object");
        TrustRootBuilder b = new TrustRootBuilder(2, NOW.plusSeconds(86400 * 365));
        for (String n : List.of("root1", "root2", "alice", "bob")) {
            b.key(n, keys.get(n).getPublic());
        }
        io.gantry.api.tls.BackendTlsPolicy pins = new io.gantry.api.tls.BackendTlsPolicy(java.util.Set.of("c".repeat(64)),
                io.gantry.api.tls.RevocationPolicy.HARD_FAIL);
        byte[] next = TrustRootJson.write(b.root(2, "root1", "root2").releases(1, 2, "alice", "bob").tls(pins).build());
        assertThrows(ReleaseRejectedException.class, () -> holder.rotate(next, List.of(sign(next, "root1")), NOW));
        assertEquals(java.util.Optional.empty(), v.current(), "a refused rotation leaves the policy as it was");
        holder.rotate(next, List.of(sign(next, "root1"), sign(next, "root2")), NOW);
        assertEquals(java.util.Optional.of(pins), v.current());
        assertEquals(java.util.Optional.of(pins), new SignedReleaseVerifier(
                new TrustRootHolder(trustRoot, dir.resolve("data/trust-root.json"), 2),
                new AntiRollback(counters, Clock.fixed(NOW, ZoneOffset.UTC)), staging).current(), "the rotated policy survives a restart");
    }

    @Test
    void stagingLeftByACrashIsClearedAtActivation() throws Exception {
        Path leftover = Files.createDirectories(staging.resolve("release-123"));
        Files.write(leftover.resolve("fw.bin"), new byte[1024]);
        verifier(NOW);
        assertEquals(0, countFiles(staging));
    }

    @Test
    void rejectsOneSignerBelowThreshold() throws Exception {
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, rejection(release("1.0.0", 1, "x".getBytes(), "alice")));
    }

    @Test
    void rejectsTamperedPayloadAndLeavesNoStaging() throws Exception {
        Path archive = release("1.0.0", 1, "good".getBytes(), "alice", "bob");
        byte[] metadata;
        byte[] sigs;
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            metadata = src.metadata();
            sigs = src.signatures();
        }
        ReleaseArchive.write(archive, metadata, sigs, Map.of("fw.bin", Files.write(dir.resolve("evil.bin"), "evil".getBytes())));
        assertEquals(RejectionCode.HASH_MISMATCH, rejection(archive));
        assertEquals(0, countFiles(staging));
    }

    @Test
    void rejectsUnsignedAndUnknownSigner() throws Exception {
        assertEquals(RejectionCode.MISSING_SIGNATURE, rejection(release("1.0.0", 1, "x".getBytes())));
        assertEquals(RejectionCode.UNKNOWN_SIGNER, rejection(release("1.0.0", 1, "x".getBytes(), "mallory")));
    }

    @Test
    void rejectsEverythingWithoutATrustRoot() throws Exception {
        Files.delete(trustRoot);
        assertEquals(RejectionCode.NO_TRUST_ANCHOR, rejection(release("1.0.0", 1, "x".getBytes(), "alice", "bob")));
    }

    @Test
    void rejectsOlderVersionAndLowerCounterAfterAnInstall() throws Exception {
        try (VerifiedRelease r = verified(release("1.2.0", 5, "x".getBytes(), "alice", "bob"))) {
            verifier(NOW).recordInstalled(r);
        }
        assertEquals(RejectionCode.ROLLBACK, rejection(release("1.1.0", 5, "x".getBytes(), "alice", "bob")));
        assertEquals(RejectionCode.ROLLBACK, rejection(release("1.2.0", 5, "x".getBytes(), "alice", "bob")));
        assertEquals(RejectionCode.ROLLBACK, rejection(release("1.3.0", 4, "x".getBytes(), "alice", "bob")));
        // Emergency downgrade: the old payload as a NEW release with a higher version and counter.
        try (VerifiedRelease r = verified(release("1.3.0", 6, "x".getBytes(), "alice", "bob"))) {
            assertEquals("1.3.0", r.metadata().version());
        }
    }

    @Test
    void clockSetBackCannotRevivedExpiredRelease() throws Exception {
        try (VerifiedRelease r = verified(release("1.0.0", 1, "x".getBytes(), "alice", "bob"))) {
            verifier(NOW).recordInstalled(r);
        }
        Path expiredArchive = releases.release("fw", "1.1.0").payload("fw.bin", "y".getBytes())
                .validity(NOW.minusSeconds(7200), NOW.minusSeconds(3600)).securityCounter(1).signedBy(keys("alice", "bob")).build();
        // The gateway clock says an hour earlier than a time it already trusted: not accepted.
        assertEquals(RejectionCode.EXPIRED, rejection(expiredArchive, NOW.minusSeconds(4 * 3600)));
    }

    /**
     * The bricking scenario end to end: a genuinely signed release claims a build time 70 years
     * ahead; after its install an ordinary new release (valid for a day) is still accepted.
     */
    @Test
    void farFutureBuildTimeDoesNotExpireEveryLaterRelease() throws Exception {
        Path future = releases.release("fw", "1.0.0").payload("fw.bin", "f".getBytes())
                .validity(NOW.plus(java.time.Duration.ofDays(365 * 70)), NOW.plus(java.time.Duration.ofDays(365 * 71)))
                .securityCounter(1).signedBy(keys("alice", "bob")).build();
        try (VerifiedRelease r = verified(future)) {
            verifier(NOW).recordInstalled(r);
        }
        try (VerifiedRelease next = verified(release("1.1.0", 1, "x".getBytes(), "alice", "bob"))) {
            assertEquals("1.1.0", next.metadata().version());
        }
    }

    @Test
    void stagedCopyChangedAfterVerificationFailsOnRead() throws Exception {
        try (VerifiedRelease r = verified(release("1.0.0", 1, "original".getBytes(), "alice", "bob"))) {
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
