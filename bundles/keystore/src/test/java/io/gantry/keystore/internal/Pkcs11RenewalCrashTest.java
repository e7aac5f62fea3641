package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.api.keystore.PendingRenewal;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A renewal on the token cut short at each step, as a power cut would: the steps before the cut are
 * done on the token, then the component starts again. Every start must find a complete identity,
 * the old one until the new one is complete on the token, and must tidy up what the cut left.
 */
class Pkcs11RenewalCrashTest extends TokenRenewalFixture {
    Pkcs11RenewalCrashTest() {
        super("crash-");
    }

    /** The device key presents the device certificate in a real handshake: the identity works. */
    private void assertWorking(X509Certificate expected) throws Exception {
        assertEquals(expected, identity.certificateChain().get(0));
        assertEquals(expected, ClientCertProbe.presentedBy(identity.sslContext(), pki)[0]);
    }

    @Test
    void cutAfterTheNewKeyWasMadeKeepsTheOldIdentity() throws Exception {
        identity.beginRenewal();
        restart();
        assertWorking(provisioned);
        assertEquals(List.of(alias), aliases(), "the abandoned pending key is gone");
    }

    @Test
    void cutAfterTheCertificateArrivedButBeforeItWasStoredKeepsTheOldIdentity() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        pki.device(deviceId, pending.publicKey()); // issued by the CA, lost with the power
        restart();
        assertWorking(provisioned);
        assertEquals(List.of(alias), aliases());
    }

    @Test
    void cutWhileStoringLeavesAnIncompleteEntryThatIsNotUsed() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        // The key moved to the new alias but its chain is not the issued one (the placeholder stayed).
        KeyStore token = token();
        PrivateKey key = (PrivateKey) token.getKey(alias + "#pending", null);
        token.setKeyEntry(alias + "#1", key, null, new Certificate[] {
            token.getCertificate(alias + "#pending")});
        restart();
        assertWorking(provisioned);
        assertEquals(alias, identity.activeAlias());
        // A later renewal goes above the broken entry, and its start then removes everything older.
        PendingRenewal next = identity.beginRenewal();
        List<X509Certificate> issued = List.of(pki.device(deviceId, next.publicKey()), pki.issuer);
        identity.completeRenewal(next, issued);
        assertEquals(alias + "#2", identity.activeAlias());
        restart();
        assertWorking(issued.get(0));
        assertEquals(List.of(alias + "#2"), aliases());
    }

    @Test
    void cutAfterStoringButBeforeTheOldEntryWasDeletedUsesTheNewIdentity() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> issued = List.of(pki.device(deviceId, pending.publicKey()), pki.issuer);
        List<X509Certificate> path = RenewedChainCheck.check(issued, pending.publicKey(),
                provisioned.getSubjectX500Principal(), TrustAnchors.load(trust), Instant.now());
        KeyStore token = token();
        TokenRenewal.store(token, alias + "#1", (PrivateKey) token.getKey(alias + "#pending", null), path);
        assertEquals(List.of(alias, alias + "#1"), aliases(), "both complete on the token at the cut");
        restart();
        assertWorking(issued.get(0));
        assertEquals(List.of(alias + "#1"), aliases(), "the start retires the old entry");
    }

    @Test
    void cutAfterTheSwitchLeavesTheNewIdentity() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> issued = List.of(pki.device(deviceId, pending.publicKey()), pki.issuer);
        identity.completeRenewal(pending, issued);
        restart();
        assertWorking(issued.get(0));
    }
}
