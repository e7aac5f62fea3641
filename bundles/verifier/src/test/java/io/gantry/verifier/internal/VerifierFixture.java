package io.gantry.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ArchiveSigning;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseBuilder;
import io.gantry.release.ReleaseSigning;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verifier over a real trust root on disk (root1+root2 sign roots; alice and bob, 2 of 2, sign
 * 1.x), release archives built and signed in the test, and an in-memory counter; the clock is
 * fixed per call. Shared by the verifier's tests.
 */
abstract class VerifierFixture {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    @TempDir
    Path dir;
    final Map<String, KeyPair> keys = new HashMap<>();
    final MapCounter counters = new MapCounter();
    Path trustRoot;
    Path staging;

    @BeforeEach
    void setUp() throws Exception {
        for (String n : List.of("root1", "root2", "alice", "bob", "mallory")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            keys.put(n, g.generateKeyPair());
        }
        TrustRootBuilder b = new TrustRootBuilder(1, NOW.plusSeconds(86400 * 365));
        for (String n : List.of("root1", "root2", "alice", "bob")) {
            b.key(n, keys.get(n).getPublic());
        }
        byte[] root = TrustRootJson.write(b.root(2, "root1", "root2").releases(1, 2, "alice", "bob").build());
        trustRoot = dir.resolve("trust/trust-root.json");
        TrustRootFiles.write(trustRoot, root, List.of(sign(root, "root1"), sign(root, "root2")));
        staging = dir.resolve("staging");
    }

    io.gantry.release.ReleaseSignature sign(byte[] data, String name) throws Exception {
        return ReleaseSigning.sign(data, keys.get(name).getPrivate(), keys.get(name).getPublic());
    }

    SignedReleaseVerifier verifier(Instant clock) throws IOException {
        return new SignedReleaseVerifier(new TrustRootHolder(trustRoot, dir.resolve("data/trust-root.json"), 2),
                new AntiRollback(counters, Clock.fixed(clock, ZoneOffset.UTC)), staging);
    }

    Path release(String version, long counter, byte[] payload, String... signers) throws Exception {
        Path fw = Files.write(dir.resolve("fw-" + System.nanoTime() + ".bin"), payload);
        Path archive = dir.resolve("r-" + System.nanoTime() + ".gantry");
        ReleaseBuilder.buildUnsigned(archive, "fw", version, ReleaseKind.FIRMWARE, "acme-sensor", "tester",
                NOW.minusSeconds(60), NOW.plusSeconds(86400), counter, Map.of("fw.bin", fw));
        for (String s : signers) {
            ArchiveSigning.addSignature(archive, archive, keys.get(s).getPrivate(), keys.get(s).getPublic());
        }
        return archive;
    }

    RejectionCode rejection(Path archive) throws Exception {
        return rejection(archive, NOW);
    }

    RejectionCode rejection(Path archive, Instant clock) throws Exception {
        SignedReleaseVerifier v = verifier(clock);
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            return assertThrows(ReleaseRejectedException.class, () -> v.verify(src)).code();
        }
    }

    VerifiedRelease verified(Path archive) throws Exception {
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            return verifier(NOW).verify(src);
        }
    }
}
