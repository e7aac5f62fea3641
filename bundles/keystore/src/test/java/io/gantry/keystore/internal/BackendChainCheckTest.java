package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.tls.BackendChainCode;
import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.tls.RevocationPolicy;
import io.gantry.keystore.internal.StapleFixture.Answer;
import io.gantry.testing.TestPki;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pins and revocation of the backend's server chain, with real certificates and real OCSP responses. */
class BackendChainCheckTest {
    private static final Duration LIFE = Duration.ofHours(4);
    private StapleFixture f;
    private BackendChainCheck check;
    private Instant now;

    @BeforeEach
    void setUp() throws Exception {
        f = new StapleFixture();
        check = new BackendChainCheck(f.anchors);
        now = Instant.now();
    }

    private Optional<BackendTlsPolicy> pinRoot(RevocationPolicy p) {
        return Optional.of(new BackendTlsPolicy(Set.of(BackendChainCheck.spkiSha256(f.pki.root)), p));
    }

    private BackendChainCode refused(byte[] staple, Optional<BackendTlsPolicy> policy) {
        return assertThrows(BackendChainRejectedException.class, () -> check.check(f.chain(), staple, policy, now)).code();
    }

    @Test
    void goodStapleUnderPinnedRootIsAccepted() throws Exception {
        byte[] staple = f.staple(f.server, Answer.GOOD, now.minusSeconds(60), LIFE);
        assertDoesNotThrow(() -> check.check(f.chain(), staple, pinRoot(RevocationPolicy.HARD_FAIL), now));
    }

    @Test
    void pinOnTheIntermediateAloneIsAccepted() throws Exception {
        byte[] staple = f.staple(f.server, Answer.GOOD, now.minusSeconds(60), LIFE);
        Optional<BackendTlsPolicy> pinIssuer = Optional.of(new BackendTlsPolicy(
                Set.of(BackendChainCheck.spkiSha256(f.pki.issuer)), RevocationPolicy.HARD_FAIL));
        assertDoesNotThrow(() -> check.check(f.chain(), staple, pinIssuer, now));
    }

    @Test
    void refusesChainWhoseCaKeysAreNotPinned() throws Exception {
        byte[] staple = f.staple(f.server, Answer.GOOD, now.minusSeconds(60), LIFE);
        Optional<BackendTlsPolicy> otherCa = Optional.of(new BackendTlsPolicy(
                Set.of(BackendChainCheck.spkiSha256(new TestPki().root)), RevocationPolicy.SOFT_FAIL));
        assertEquals(BackendChainCode.PIN_MISMATCH, refused(staple, otherCa));
    }

    /**
     * Pins are checked on the path validation built, not on what the server sent: a server whose
     * certificate comes from an unpinned CA appends the public certificate of a pinned CA under the
     * same anchor. That CA signed nothing on the path, so the chain is refused.
     */
    @Test
    void appendedPinnedCaCertificateThatIsNotOnThePathDoesNotCount() throws Exception {
        KeyPair pinnedKey = TestPki.p256();
        java.time.Instant t = java.time.Instant.now();
        java.security.cert.X509Certificate pinnedCa = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(f.pki.root,
                        java.math.BigInteger.valueOf(t.toEpochMilli()), java.util.Date.from(t.minusSeconds(60)),
                        java.util.Date.from(t.plus(Duration.ofDays(1))),
                        new javax.security.auth.x500.X500Principal("CN=pinned-sibling-ca"), pinnedKey.getPublic())
                        .addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                                new org.bouncycastle.asn1.x509.BasicConstraints(true))
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                                .build(f.pki.rootKey.getPrivate())));
        java.util.List<java.security.cert.X509Certificate> sent = new java.util.ArrayList<>(f.chain());
        sent.add(pinnedCa);
        byte[] staple = f.staple(f.server, Answer.GOOD, now.minusSeconds(60), LIFE);
        Optional<BackendTlsPolicy> pinSibling = Optional.of(new BackendTlsPolicy(
                Set.of(BackendChainCheck.spkiSha256(pinnedCa)), RevocationPolicy.HARD_FAIL));
        assertEquals(BackendChainCode.PIN_MISMATCH, assertThrows(BackendChainRejectedException.class,
                () -> check.check(sent, staple, pinSibling, now)).code());
        // The genuine path still passes with the same extra certificate sent.
        assertDoesNotThrow(() -> check.check(sent, staple, pinRoot(RevocationPolicy.HARD_FAIL), now));
    }

    @Test
    void pinOnTheServerCertificateItselfDoesNotCount() throws Exception {
        byte[] staple = f.staple(f.server, Answer.GOOD, now.minusSeconds(60), LIFE);
        Optional<BackendTlsPolicy> leafPin = Optional.of(new BackendTlsPolicy(
                Set.of(BackendChainCheck.spkiSha256(f.server)), RevocationPolicy.HARD_FAIL));
        assertEquals(BackendChainCode.PIN_MISMATCH, refused(staple, leafPin));
    }

    @Test
    void refusesServerCertificateTheStapleSaysIsRevoked() throws Exception {
        byte[] staple = f.staple(f.server, Answer.REVOKED, now.minusSeconds(60), LIFE);
        assertEquals(BackendChainCode.REVOKED, refused(staple, pinRoot(RevocationPolicy.HARD_FAIL)));
        assertEquals(BackendChainCode.REVOKED, refused(staple, pinRoot(RevocationPolicy.SOFT_FAIL)));
        assertEquals(BackendChainCode.REVOKED, refused(staple, Optional.empty()), "the provisioning default still honours REVOKED");
    }

    @Test
    void missingStapleUnderHardFailIsRefusedWhenNothingCanBeFetched() {
        assertEquals(BackendChainCode.NO_REVOCATION_STATUS, refused(null, pinRoot(RevocationPolicy.HARD_FAIL)));
        assertEquals(BackendChainCode.NO_REVOCATION_STATUS, refused(new byte[0], pinRoot(RevocationPolicy.HARD_FAIL)));
    }

    @Test
    void missingStapleUnderSoftFailIsAccepted() {
        assertDoesNotThrow(() -> check.check(f.chain(), null, pinRoot(RevocationPolicy.SOFT_FAIL), now));
        assertDoesNotThrow(() -> check.check(f.chain(), null, Optional.empty(), now));
    }

    @Test
    void refusesStapleWhoseNextUpdateHasPassed() throws Exception {
        byte[] staple = f.staple(f.server, Answer.GOOD, now.minus(Duration.ofHours(5)), LIFE);
        assertEquals(BackendChainCode.STALE_STAPLE, refused(staple, pinRoot(RevocationPolicy.HARD_FAIL)));
    }

    @Test
    void refusesStapleFromTheFuture() throws Exception {
        byte[] staple = f.staple(f.server, Answer.GOOD, now.plus(Duration.ofHours(1)), LIFE);
        assertEquals(BackendChainCode.STALE_STAPLE, refused(staple, pinRoot(RevocationPolicy.HARD_FAIL)));
    }

    @Test
    void unknownStatusIsRefusedUnderHardFailOnly() throws Exception {
        byte[] staple = f.staple(f.server, Answer.UNKNOWN, now.minusSeconds(60), LIFE);
        assertEquals(BackendChainCode.UNKNOWN_STATUS, refused(staple, pinRoot(RevocationPolicy.HARD_FAIL)));
        assertDoesNotThrow(() -> check.check(f.chain(), staple, pinRoot(RevocationPolicy.SOFT_FAIL), now));
    }

    @Test
    void refusesStapleSignedByAKeyTheIssuerNeverCertified() throws Exception {
        KeyPair forger = TestPki.p256();
        byte[] staple = f.staple(f.server, Answer.GOOD, now.minusSeconds(60), LIFE, forger.getPrivate(), null);
        assertEquals(BackendChainCode.BAD_STAPLE, refused(staple, pinRoot(RevocationPolicy.HARD_FAIL)));
    }

    @Test
    void forgedRevokedStapleDoesNotCountUnderSoftFail() throws Exception {
        KeyPair forger = TestPki.p256();
        byte[] staple = f.staple(f.server, Answer.REVOKED, now.minusSeconds(60), LIFE, forger.getPrivate(), null);
        assertDoesNotThrow(() -> check.check(f.chain(), staple, pinRoot(RevocationPolicy.SOFT_FAIL), now));
    }

    @Test
    void acceptsStapleFromDelegatedResponderWithOcspSigning() throws Exception {
        KeyPair key = TestPki.p256();
        byte[] staple = f.staple(f.server, Answer.GOOD, now.minusSeconds(60), LIFE, key.getPrivate(), f.responder(key, true));
        assertDoesNotThrow(() -> check.check(f.chain(), staple, pinRoot(RevocationPolicy.HARD_FAIL), now));
    }

    @Test
    void refusesStapleFromResponderWithoutOcspSigning() throws Exception {
        KeyPair key = TestPki.p256();
        byte[] staple = f.staple(f.server, Answer.GOOD, now.minusSeconds(60), LIFE, key.getPrivate(), f.responder(key, false));
        assertEquals(BackendChainCode.BAD_STAPLE, refused(staple, pinRoot(RevocationPolicy.HARD_FAIL)));
    }

    @Test
    void refusesStapleAboutAnotherCertificate() throws Exception {
        byte[] staple = f.staple(f.pki.server(TestPki.p256().getPublic()), Answer.GOOD, now.minusSeconds(60), LIFE);
        assertEquals(BackendChainCode.BAD_STAPLE, refused(staple, pinRoot(RevocationPolicy.HARD_FAIL)));
    }

    @Test
    void refusesGarbageStapleUnderHardFail() {
        assertEquals(BackendChainCode.BAD_STAPLE, refused(new byte[] {0x30, 0x03, 0x0a, 0x01, 0x00}, pinRoot(RevocationPolicy.HARD_FAIL)));
    }
}
