package io.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.tls.RevocationPolicy;
import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The optional "tls" object of trust-root.json: strict form, and it changes only by signed rotation. */
class TrustRootTlsPolicyTest {
    private static final String PIN_A = "a".repeat(64);
    private static final String PIN_B = "b".repeat(64);
    final TrustFixture f = new TrustFixture();

    TrustRootTlsPolicyTest() throws Exception {
    }

    private byte[] withTls(long version, BackendTlsPolicy tls) {
        return TrustRootJson.write(f.builder(version).tls(tls).build());
    }

    private static byte[] edit(byte[] root, String from, String to) {
        String s = new String(root, StandardCharsets.UTF_8);
        if (!s.contains(from)) {
            throw new IllegalArgumentException(from + " not in " + s);
        }
        return s.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void tlsPolicyRoundTripsCanonically() throws Exception {
        byte[] b = withTls(1, new BackendTlsPolicy(Set.of(PIN_B, PIN_A), RevocationPolicy.HARD_FAIL));
        TrustRoot parsed = TrustRootJson.parse(b);
        assertEquals(Set.of(PIN_A, PIN_B), parsed.tls().pinnedSpkiSha256());
        assertEquals(RevocationPolicy.HARD_FAIL, parsed.tls().revocation());
        assertEquals(new String(b), new String(TrustRootJson.write(parsed)));
        assertEquals(true, new String(b).contains("\"tls\":{\"pinnedSpkiSha256\":[\"" + PIN_A + "\",\"" + PIN_B
                + "\"],\"revocation\":\"hard-fail\"}"));
    }

    @Test
    void rootWithoutTlsObjectStillParses() throws Exception {
        assertNull(TrustRootJson.parse(TrustRootJson.write(f.root())).tls());
    }

    @Test
    void rejectsMalformedTlsObjects() {
        byte[] b = withTls(1, new BackendTlsPolicy(Set.of(PIN_A), RevocationPolicy.SOFT_FAIL));
        for (byte[] bad : new byte[][] {
            edit(b, "\"soft-fail\"", "\"fail-open\""),
            edit(b, "[\"" + PIN_A + "\"]", "[]"),
            edit(b, PIN_A, PIN_A.toUpperCase()),
            edit(b, PIN_A, "a".repeat(63)),
            edit(b, "\"revocation\"", "\"extra\":1,\"revocation\""),
            edit(b, ",\"revocation\":\"soft-fail\"", ""),
            edit(b, "[\"" + PIN_A + "\"]", "[\"" + PIN_A + "\",\"" + PIN_A + "\"]")}) {
            assertThrows(MalformedReleaseException.class, () -> TrustRootJson.parse(bad), new String(bad));
        }
    }

    @Test
    void newPinsAreAcceptedOnlyThroughASignedRotation() throws Exception {
        byte[] initial = TrustRootJson.write(f.root());
        TrustRoot current = TrustRootRotation.acceptInitial(initial, f.sign(initial, "root1", "root2"), TrustFixture.NOW, 2);
        byte[] next = withTls(2, new BackendTlsPolicy(Set.of(PIN_A), RevocationPolicy.HARD_FAIL));
        ReleaseRejectedException oneSigner = assertThrows(ReleaseRejectedException.class,
                () -> TrustRootRotation.rotate(current, next, f.sign(next, "root1"), TrustFixture.NOW, 2));
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, oneSigner.code());
        TrustRoot rotated = TrustRootRotation.rotate(current, next, f.sign(next, "root1", "root2"), TrustFixture.NOW, 2);
        assertEquals(Set.of(PIN_A), rotated.tls().pinnedSpkiSha256());
    }
}
