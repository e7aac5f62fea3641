package io.gantry.backend.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.release.MetadataJson;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootBuilder;
import io.gantry.testing.TestReleases;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which stored releases a rotated trust root withdraws: those that lose their threshold, not those merely expired. */
class RevokedKeyWithdrawalTest {
    final KeyPair a = TestReleases.newKey();
    final KeyPair b = TestReleases.newKey();
    final KeyPair c = TestReleases.newKey();
    final Instant now = Instant.parse("2026-12-04T12:00:00Z");
    final TrustRoot rotated = new TrustRootBuilder(2, now.plus(Duration.ofDays(90))).key("r1", TestReleases.newKey().getPublic())
            .key("r2", TestReleases.newKey().getPublic()).key("a", a.getPublic()).key("b", b.getPublic()).key("c", c.getPublic())
            .root(2, "r1", "r2").releases(1, 2, "a", "b", "c").revoke("a").build();

    private ReleaseRow stored(ReleaseMetadata m, KeyPair... signers) throws Exception {
        byte[] bytes = MetadataJson.write(m);
        return new ReleaseRow(1, m.name(), m.version(), m.kind(), m.target(), bytes, TestReleases.envelope(bytes, signers),
                List.of(), now, m.payloads());
    }

    private ReleaseMetadata release(String version, Instant expires) {
        ReleaseMetadata m = TestReleases.metadata("fw", version, Map.of("fw.bin", TestReleases.payloadBytes("w", 32)));
        return new ReleaseMetadata(m.schema(), m.name(), m.version(), ReleaseKind.FIRMWARE, m.target(), now.minus(Duration.ofDays(3)),
                expires, 0, m.builtBy(), m.payloads());
    }

    @Test
    void aReleaseThatLostItsThresholdIsWithdrawnWithTheCodeItNowFails() throws Exception {
        assertEquals("THRESHOLD_NOT_MET", RevokedKeyWithdrawal.refusalUnder(rotated, stored(release("1.0.0", now.plus(Duration.ofDays(9))),
                a, b), now));
    }

    @Test
    void aReleaseStillSignedByTheThresholdStaysServed() throws Exception {
        assertNull(RevokedKeyWithdrawal.refusalUnder(rotated, stored(release("1.0.1", now.plus(Duration.ofDays(9))), b, c), now));
        assertNull(RevokedKeyWithdrawal.refusalUnder(rotated, stored(release("1.0.2", now.plus(Duration.ofDays(9))), a, b, c), now));
    }

    @Test
    void anExpiredReleaseIsNotAKeyQuestionAndIsNotWithdrawn() throws Exception {
        assertNull(RevokedKeyWithdrawal.refusalUnder(rotated, stored(release("1.0.3", now.minusSeconds(1)), a, b), now));
    }

    @Test
    void aMajorVersionTheNewRootNoLongerHasIsWithdrawn() throws Exception {
        assertEquals("UNAUTHORIZED_SIGNER", RevokedKeyWithdrawal.refusalUnder(rotated,
                stored(release("2.0.0", now.plus(Duration.ofDays(9))), b, c), now));
    }
}
