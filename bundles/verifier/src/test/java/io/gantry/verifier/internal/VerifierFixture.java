package io.gantry.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.testing.TestReleases;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
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
    TestReleases releases;

    @BeforeEach
    void setUp() throws Exception {
        for (String n : List.of("root1", "root2", "alice", "bob", "mallory")) {
            keys.put(n, TestReleases.newKey());
        }
        releases = new TestReleases(dir.resolve("releases"));
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
        return TestReleases.sign(data, keys.get(name));
    }

    /** @return the named keys */
    KeyPair[] keys(String... names) {
        return Arrays.stream(names).map(keys::get).toArray(KeyPair[]::new);
    }

    SignedReleaseVerifier verifier(Instant clock) throws IOException {
        return new SignedReleaseVerifier(new TrustRootHolder(trustRoot, dir.resolve("data/trust-root.json"), 2),
                new AntiRollback(counters, Clock.fixed(clock, ZoneOffset.UTC)), staging);
    }

    /** @return firmware "fw" for acme-sensor, built a minute before {@link #NOW}, valid a day, signed by {@code signers} */
    Path release(String version, long counter, byte[] payload, String... signers) throws Exception {
        return releases.release("fw", version).payload("fw.bin", payload).validity(NOW.minusSeconds(60), NOW.plusSeconds(86400))
                .securityCounter(counter).signedBy(keys(signers)).build();
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
