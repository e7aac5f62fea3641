package io.gantry.verifier.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootJson;
import io.gantry.testing.TestReleases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The root-signed way back for a gateway whose trusted time was carried 70 years ahead by older
 * software: everything, the current root included, reads as EXPIRED. A trust-root release signed
 * by the root threshold and carrying a root with {@code resetTrustedTime} installs against the
 * local clock and starts a new trusted-time epoch; nothing else gets through.
 */
class TrustedTimeRecoveryTest extends VerifierFixture {
    static final Instant STUCK = NOW.plus(Duration.ofDays(365 * 70));

    private Path trustRootRelease(boolean reset, Instant rootExpires, String... signers) throws Exception {
        TrustRootBuilder b = new TrustRootBuilder(2, rootExpires);
        for (String n : List.of("root1", "root2", "alice", "bob")) {
            b.key(n, keys.get(n).getPublic());
        }
        b.root(2, "root1", "root2").releases(1, 2, "alice", "bob");
        if (reset) {
            b.resetTrustedTime();
        }
        byte[] root = TrustRootJson.write(b.build());
        return releases.release("trust-root", "2.0.0").kind(ReleaseKind.TRUST_ROOT, ReleaseMetadata.GATEWAY_TARGET)
                .builtBy("root holders").validity(NOW.minusSeconds(60), rootExpires).securityCounter(2)
                .payload("trust-root.json", root).payload("trust-root.sigs.json", TestReleases.envelope(root, keys("root1", "root2")))
                .signedBy(keys(signers)).build();
    }

    private void install(Path archive) throws Exception {
        SignedReleaseVerifier v = verifier(NOW);
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive); VerifiedRelease r = v.verify(src)) {
            v.installTrustRoot(r);
        }
    }

    @Test
    void rootSignedResetBringsAStuckGatewayBack() throws Exception {
        counters.advance(AntiRollback.TRUSTED_TIME, STUCK.getEpochSecond());
        assertEquals(RejectionCode.EXPIRED, rejection(release("1.1.0", 1, "x".getBytes(), "alice", "bob")));

        install(trustRootRelease(true, NOW.plus(Duration.ofDays(365)), "root1", "root2"));

        assertEquals(2, verifier(NOW).trustRootVersion());
        try (VerifiedRelease r = verified(release("1.1.0", 1, "x".getBytes(), "alice", "bob"))) {
            assertEquals("1.1.0", r.metadata().version());
        }
        assertEquals(2L, counters.read(AntiRollback.TRUSTED_TIME_EPOCH));
    }

    @Test
    void whileStuckARootWithoutTheResetStaysExpired() throws Exception {
        counters.advance(AntiRollback.TRUSTED_TIME, STUCK.getEpochSecond());
        ReleaseRejectedException e = assertThrows(ReleaseRejectedException.class,
                () -> install(trustRootRelease(false, NOW.plus(Duration.ofDays(365)), "root1", "root2")));
        assertEquals(RejectionCode.EXPIRED, e.code());
        assertEquals(1, verifier(NOW).trustRootVersion(), "the refused root changed nothing");
        assertEquals(0L, counters.read(AntiRollback.TRUSTED_TIME_EPOCH));
    }

    @Test
    void whileStuckOnlyTheRootThresholdOpensTheWay() throws Exception {
        counters.advance(AntiRollback.TRUSTED_TIME, STUCK.getEpochSecond());
        // Release managers cannot sign a trust-root release, stuck or not.
        assertThrows(ReleaseRejectedException.class,
                () -> install(trustRootRelease(true, NOW.plus(Duration.ofDays(365)), "alice", "bob")));
        // One root key is below the root threshold.
        assertThrows(ReleaseRejectedException.class,
                () -> install(trustRootRelease(true, NOW.plus(Duration.ofDays(365)), "root1")));
        assertEquals(1, verifier(NOW).trustRootVersion());
    }

    @Test
    void notStuckMeansNoLocalClockCheck() throws Exception {
        // Trusted time only slightly ahead: an expired trust-root release stays EXPIRED, reset or not.
        counters.advance(AntiRollback.TRUSTED_TIME, NOW.plusSeconds(3600).getEpochSecond());
        ReleaseRejectedException e = assertThrows(ReleaseRejectedException.class,
                () -> install(trustRootRelease(true, NOW.plusSeconds(1800), "root1", "root2")));
        assertEquals(RejectionCode.EXPIRED, e.code());
    }
}
