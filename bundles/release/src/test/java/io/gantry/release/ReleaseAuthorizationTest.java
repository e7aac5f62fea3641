package io.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.ThresholdNotMetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The two-person rule and role scopes, one attack per test (THREATS.md: threshold evasion, arbitrary software). */
class ReleaseAuthorizationTest {
    final TrustFixture f = new TrustFixture();
    final ReleaseMetadata bundle1 = TrustFixture.metadata("io.gantry.agent", "1.4.0", ReleaseKind.BUNDLE, "gantry-gateway");
    final byte[] bytes = MetadataJson.write(bundle1);

    ReleaseAuthorizationTest() throws Exception {
    }

    RejectionCode rejection(ReleaseMetadata m, byte[] data, List<ReleaseSignature> sigs, TrustRoot root) {
        return assertThrows(ReleaseRejectedException.class,
                () -> ReleaseAuthorization.authorize(m, data, sigs, root, TrustFixture.NOW)).code();
    }

    @Test
    void acceptsTwoDistinctSignersOfTheMajorVersionRole() throws Exception {
        ReleaseAuthorization.Authorized a = ReleaseAuthorization.authorize(bundle1, bytes, f.sign(bytes, "alice", "carol"),
                f.root(), TrustFixture.NOW);
        assertEquals("releases/1", a.role().name());
        assertEquals(List.of("alice", "carol"), a.signerNames());
    }

    @Test
    void rejectsOneSignatureWhereTwoAreRequired() throws Exception {
        ThresholdNotMetException e = assertThrows(ThresholdNotMetException.class,
                () -> ReleaseAuthorization.authorize(bundle1, bytes, f.sign(bytes, "alice"), f.root(), TrustFixture.NOW));
        assertEquals(List.of("alice"), e.signers());
        assertEquals(2, e.threshold());
    }

    @Test
    void rejectsSameSignerTwiceWithDifferentSignatureBlobs() throws Exception {
        List<ReleaseSignature> twice = new ArrayList<>(f.sign(bytes, "alice"));
        twice.addAll(f.sign(bytes, "alice"));
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, rejection(bundle1, bytes, twice, f.root()));
    }

    @Test
    void rejectsOneKeyCountedUnderTwoKeyIds() throws Exception {
        TrustRoot root = f.root();
        TrustedKey alice = root.keys().get(KeyIds.of(f.keys.get("alice").getPublic()));
        String alias = "a".repeat(64);
        Map<String, TrustedKey> keys = new HashMap<>(root.keys());
        keys.put(alias, new TrustedKey(alias, "alice-again", alice.scheme(), alice.publicKey()));
        Role releases = Role.of("releases/1", 2, List.of(alice.keyId(), alias));
        TrustRoot sneaky = new TrustRoot(1, root.expires(), keys, root.root(), Map.of(1, releases), List.of(), Set.of());
        ReleaseSignature one = f.sign(bytes, "alice").get(0);
        List<ReleaseSignature> sigs = List.of(one, new ReleaseSignature(alias, one.value()));
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, rejection(bundle1, bytes, sigs, sneaky));
    }

    @Test
    void rejectsRevokedSigner() throws Exception {
        TrustRoot root = f.builder(1).revoke("bob").build();
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, rejection(bundle1, bytes, f.sign(bytes, "alice", "bob"), root));
    }

    @Test
    void rejectsRotatedOutSigner() throws Exception {
        TrustRoot root = f.builder(2).releases(1, 2, "alice", "bob").build();
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, rejection(bundle1, bytes, f.sign(bytes, "alice", "carol"), root));
    }

    @Test
    void rejectsKeysOfAnotherMajorVersion() throws Exception {
        ReleaseMetadata v2 = TrustFixture.metadata("io.gantry.agent", "2.0.0", ReleaseKind.BUNDLE, "gantry-gateway");
        byte[] b = MetadataJson.write(v2);
        assertEquals(RejectionCode.UNAUTHORIZED_SIGNER, rejection(v2, b, f.sign(b, "alice", "bob"), f.root()));
        ReleaseAuthorization.authorize(v2, b, f.sign(b, "dave", "erin"), f.root(), TrustFixture.NOW);
    }

    @Test
    void rejectsMajorVersionWithoutAnyRole() throws Exception {
        ReleaseMetadata v3 = TrustFixture.metadata("io.gantry.agent", "3.0.0", ReleaseKind.BUNDLE, "gantry-gateway");
        byte[] b = MetadataJson.write(v3);
        assertEquals(RejectionCode.UNAUTHORIZED_SIGNER, rejection(v3, b, f.sign(b, "dave", "erin"), f.root()));
    }

    @Test
    void vendorSignsOnlyItsOwnDeviceTypesAndBundles() throws Exception {
        ReleaseMetadata own = TrustFixture.metadata("acme-fw", "1.1.0", ReleaseKind.FIRMWARE, "acme-sensor");
        byte[] b = MetadataJson.write(own);
        assertEquals("vendor/acme",
                ReleaseAuthorization.authorize(own, b, f.sign(b, "acme1", "acme2"), f.root(), TrustFixture.NOW).role().name());
        ReleaseMetadata foreign = TrustFixture.metadata("other-fw", "1.1.0", ReleaseKind.FIRMWARE, "other-device");
        byte[] fb = MetadataJson.write(foreign);
        assertEquals(RejectionCode.UNAUTHORIZED_SIGNER, rejection(foreign, fb, f.sign(fb, "acme1", "acme2"), f.root()));
        assertEquals(RejectionCode.UNAUTHORIZED_SIGNER, rejection(bundle1, bytes, f.sign(bytes, "acme1", "acme2"), f.root()));
    }

    @Test
    void rolesAreNeverMixedToReachAThreshold() throws Exception {
        ReleaseMetadata own = TrustFixture.metadata("acme-fw", "1.1.0", ReleaseKind.FIRMWARE, "acme-sensor");
        byte[] b = MetadataJson.write(own);
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, rejection(own, b, f.sign(b, "acme1", "alice"), f.root()));
    }

    @Test
    void rejectsExpiredReleaseAndExpiredRoot() throws Exception {
        ReleaseMetadata old = new ReleaseMetadata(ReleaseMetadata.SCHEMA, "io.gantry.agent", "1.5.0", ReleaseKind.BUNDLE,
                "gantry-gateway", TrustFixture.NOW.minusSeconds(7200), TrustFixture.NOW.minusSeconds(1), 1, "rm",
                bundle1.payloads());
        byte[] b = MetadataJson.write(old);
        assertEquals(RejectionCode.EXPIRED, rejection(old, b, f.sign(b, "alice", "bob"), f.root()));
        TrustRoot expired = new TrustRootBuilder(1, TrustFixture.NOW.minusSeconds(1)).key("alice", f.keys.get("alice").getPublic())
                .key("bob", f.keys.get("bob").getPublic()).root(2, "alice", "bob").releases(1, 2, "alice", "bob").build();
        assertEquals(RejectionCode.EXPIRED, rejection(bundle1, bytes, f.sign(bytes, "alice", "bob"), expired));
    }

    @Test
    void rejectsSignatureByTrustedKeyOverOtherBytes() throws Exception {
        List<ReleaseSignature> sigs = f.sign(bytes, "alice", "bob");
        byte[] tampered = bytes.clone();
        tampered[tampered.length - 5] ^= 1;
        assertEquals(RejectionCode.BAD_SIGNATURE, rejection(bundle1, tampered, sigs, f.root()));
    }

    @Test
    void rejectsSignatureNamingATrustedKeyIdButMadeWithAnotherKey() throws Exception {
        TrustFixture strangers = new TrustFixture();
        ReleaseSignature forged = new ReleaseSignature(KeyIds.of(f.keys.get("alice").getPublic()),
                strangers.sign(bytes, "alice").get(0).value());
        List<ReleaseSignature> sigs = new ArrayList<>(f.sign(bytes, "bob"));
        sigs.add(forged);
        assertEquals(RejectionCode.BAD_SIGNATURE, rejection(bundle1, bytes, sigs, f.root()));
    }

    @Test
    void rejectsUnknownSignersAndNoSignatures() throws Exception {
        TrustFixture strangers = new TrustFixture();
        assertEquals(RejectionCode.UNKNOWN_SIGNER, rejection(bundle1, bytes, strangers.sign(bytes, "alice", "bob"), f.root()));
        assertEquals(RejectionCode.MISSING_SIGNATURE, rejection(bundle1, bytes, List.of(), f.root()));
    }

    @Test
    void deviceOrTlsKeyOfOurOwnCaIsNotAReleaseKey() throws Exception {
        // A key the trust root names only in the root role may sign trust roots, never releases.
        assertEquals(RejectionCode.UNAUTHORIZED_SIGNER, rejection(bundle1, bytes, f.sign(bytes, "root1", "root2"), f.root()));
    }
}
