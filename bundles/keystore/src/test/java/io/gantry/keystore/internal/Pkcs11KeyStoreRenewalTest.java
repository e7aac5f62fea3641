package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.keystore.PendingRenewal;
import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import io.gantry.testing.TestPki;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/** Re-keying an identity on the token: the key is made and stays there, the switch is one token entry. */
class Pkcs11KeyStoreRenewalTest extends TokenRenewalFixture {
    Pkcs11KeyStoreRenewalTest() {
        super("renew-");
    }

    private List<X509Certificate> issue(PendingRenewal pending) throws Exception {
        return List.of(pki.device(deviceId, pending.publicKey()), pki.issuer);
    }

    @Test
    void csrIsSignedOnTheTokenByANewKeyThatCannotLeaveIt() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(pending.csr());
        assertEquals(provisioned.getSubjectX500Principal(), new X500Principal(csr.getSubject().getEncoded()));
        assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(pending.publicKey())));
        assertNotEquals(provisioned.getPublicKey(), pending.publicKey(), "a renewal is a re-key");
        PrivateKey onToken = TokenKeys.nonExtractable(token(), alias + "#pending");
        assertNull(onToken.getEncoded());
        assertEquals(pending.publicKey(), token().getCertificate(alias + "#pending").getPublicKey());
        assertEquals(provisioned, identity.certificateChain().get(0), "nothing switches before completion");
    }

    @Test
    void completedRenewalSwitchesTokenMemoryAndRestart() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> issued = issue(pending);
        identity.completeRenewal(pending, issued);

        assertEquals(issued, identity.certificateChain());
        assertEquals(deviceId, identity.deviceId());
        assertEquals(alias + "#1", identity.activeAlias());
        assertEquals(List.of(alias, alias + "#1"), aliases(), "the pending alias is gone, the old entry stays for now");
        assertEquals(issued.get(0), restart().certificateChain().get(0), "a restart loads the renewed identity");
        assertEquals(List.of(alias + "#1"), aliases(), "and removes the replaced entry");

        PrivateKey renewed = TokenKeys.nonExtractable(token(), alias + "#1");
        KeyFactory kf = KeyFactory.getInstance("EC", inspector);
        assertThrows(InvalidKeySpecException.class, () -> kf.getKeySpec(renewed, ECPrivateKeySpec.class));
        assertThrows(InvalidKeySpecException.class, () -> kf.getKeySpec(renewed, PKCS8EncodedKeySpec.class));
    }

    @Test
    void newTlsConnectionsPresentTheRenewedCertificateWithoutARestart() throws Exception {
        javax.net.ssl.SSLContext before = identity.sslContext();
        assertEquals(provisioned, ClientCertProbe.presentedBy(before, pki)[0]);
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> issued = issue(pending);
        identity.completeRenewal(pending, issued);
        assertEquals(issued.get(0), ClientCertProbe.presentedBy(identity.sslContext(), pki)[0]);
        // A context built before the switch (a poll cycle under way) can still complete a handshake.
        assertEquals(provisioned, ClientCertProbe.presentedBy(before, pki)[0]);
    }

    @Test
    void secondRenewalMovesOnAgain() throws Exception {
        PendingRenewal first = identity.beginRenewal();
        identity.completeRenewal(first, issue(first));
        PendingRenewal second = identity.beginRenewal();
        List<X509Certificate> issued = issue(second);
        identity.completeRenewal(second, issued);
        assertEquals(List.of(alias + "#1", alias + "#2"), aliases(), "the second renewal removed the first one's predecessor");
        assertEquals(issued.get(0), restart().certificateChain().get(0));
        assertEquals(List.of(alias + "#2"), aliases());
    }

    @Test
    void aLaterBeginReplacesTheEarlierPendingKey() throws Exception {
        PendingRenewal first = identity.beginRenewal();
        PendingRenewal second = identity.beginRenewal();
        assertEquals(List.of(alias, alias + "#pending"), aliases());
        assertEquals(second.publicKey(), token().getCertificate(alias + "#pending").getPublicKey());
        assertCode(RenewalErrorCode.UNKNOWN_RENEWAL, () -> identity.completeRenewal(first, issue(first)));
        identity.completeRenewal(second, issue(second));
        assertEquals(List.of(alias, alias + "#1"), aliases());
    }

    @Test
    void chainForAnotherKeyIsRefusedAndTheTokenKeepsTheOldIdentity() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> foreign = List.of(pki.device(deviceId, TestPki.p256().getPublic()), pki.issuer);
        assertCode(RenewalErrorCode.KEY_MISMATCH, () -> identity.completeRenewal(pending, foreign));
        assertEquals(provisioned, identity.certificateChain().get(0));
        assertEquals(List.of(alias, alias + "#pending"), aliases());
        assertEquals(provisioned, restart().certificateChain().get(0));
        assertEquals(List.of(alias), aliases(), "the restart drops the abandoned key");
    }

    @Test
    void chainFromAnotherCaIsRefused() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        TestPki rogue = new TestPki();
        assertCode(RenewalErrorCode.UNTRUSTED_CHAIN, () -> identity.completeRenewal(pending,
                List.of(rogue.device(deviceId, pending.publicKey()), rogue.issuer)));
        assertEquals(provisioned, identity.certificateChain().get(0));
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        Instant past = Instant.now().minusSeconds(7200);
        X509Certificate expired = pki.device("CN=" + deviceId + ",OU=devices,O=Gantry", pending.publicKey(),
                past, past.plusSeconds(60));
        assertCode(RenewalErrorCode.NOT_VALID, () -> identity.completeRenewal(pending, List.of(expired, pki.issuer)));
        assertEquals(provisioned, identity.certificateChain().get(0));
    }

    static void assertCode(RenewalErrorCode code, org.junit.jupiter.api.function.Executable call) {
        RenewalException e = assertThrows(RenewalException.class, call);
        assertEquals(code, e.code(), e.getMessage());
    }

    @Test
    void provisionedAliasWithoutRenewalStillWorksAsBefore() throws Exception {
        assertEquals(alias, identity.activeAlias());
        assertFalse(aliases().contains(alias + "#pending"));
        assertEquals(provisioned, ClientCertProbe.presentedBy(identity.sslContext(), pki)[0]);
    }
}
