package io.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TUF-style root rotation: the old AND the new root threshold, version exactly one more. */
class TrustRootRotationTest {
    final TrustFixture f = new TrustFixture();

    TrustRootRotationTest() throws Exception {
    }

    TrustRoot current() throws Exception {
        byte[] b = TrustRootJson.write(f.root());
        return TrustRootRotation.acceptInitial(b, f.sign(b, "root1", "root2"), TrustFixture.NOW, 2);
    }

    byte[] next(long version) {
        return TrustRootJson.write(f.builder(version).root(2, "root2", "root3").build());
    }

    RejectionCode rejection(byte[] bytes, List<ReleaseSignature> sigs) throws Exception {
        TrustRoot cur = current();
        return assertThrows(ReleaseRejectedException.class,
                () -> TrustRootRotation.rotate(cur, bytes, sigs, TrustFixture.NOW, 2)).code();
    }

    @Test
    void trustRootJsonRoundTrips() throws Exception {
        byte[] b = TrustRootJson.write(f.root());
        assertEquals(new String(b), new String(TrustRootJson.write(TrustRootJson.parse(b))));
    }

    @Test
    void acceptsRotationSignedByOldAndNewRootThresholds() throws Exception {
        byte[] b = next(2);
        TrustRoot rotated = TrustRootRotation.rotate(current(), b, f.sign(b, "root1", "root2", "root3"), TrustFixture.NOW, 2);
        assertEquals(2, rotated.version());
    }

    @Test
    void rejectsRotationSignedOnlyByTheNewKeys() throws Exception {
        byte[] b = next(2);
        // root2 is in both roots; root3 only in the new one: the old root's 2-of-2 is not met.
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, rejection(b, f.sign(b, "root2", "root3")));
    }

    @Test
    void rejectsRotationSignedOnlyByTheOldKeys() throws Exception {
        byte[] b = next(2);
        // root1 and root2 satisfy the old root, but the new root (root2, root3) has only root2.
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, rejection(b, f.sign(b, "root1", "root2")));
    }

    @Test
    void rejectsVersionSkipAndReplay() throws Exception {
        byte[] skip = next(3);
        assertEquals(RejectionCode.BAD_ROTATION, rejection(skip, f.sign(skip, "root1", "root2", "root3")));
        byte[] same = next(1);
        assertEquals(RejectionCode.BAD_ROTATION, rejection(same, f.sign(same, "root1", "root2", "root3")));
    }

    @Test
    void rejectsRootWhoseThresholdIsBelowTheMinimum() throws Exception {
        byte[] weak = TrustRootJson.write(f.builder(2).releases(1, 1, "alice", "bob").build());
        assertEquals(RejectionCode.THRESHOLD_TOO_LOW, rejection(weak, f.sign(weak, "root1", "root2")));
        byte[] zero = TrustRootJson.write(f.builder(1).releases(1, 0, "alice").build());
        assertEquals(RejectionCode.THRESHOLD_TOO_LOW, assertThrows(ReleaseRejectedException.class,
                () -> TrustRootRotation.acceptInitial(zero, f.sign(zero, "root1", "root2"), TrustFixture.NOW, 2)).code());
    }

    @Test
    void rejectsInitialRootWithoutItsOwnThreshold() throws Exception {
        byte[] b = TrustRootJson.write(f.root());
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, assertThrows(ReleaseRejectedException.class,
                () -> TrustRootRotation.acceptInitial(b, f.sign(b, "root1"), TrustFixture.NOW, 2)).code());
    }
}
