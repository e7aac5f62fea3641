package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.keystore.PendingRenewal;
import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import io.gantry.testing.TestClock;
import io.gantry.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-keying a PKCS#12 identity: the CSR, the checks on the issued chain, and the crash-safe swap. */
class FileKeyStoreRenewalTest {
    private static final Instant T0 = Instant.now();
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(T0);
    private FileIdentityFixture fx;
    private FileKeyStore identity;

    @BeforeEach
    void setUp() throws Exception {
        fx = new FileIdentityFixture(dir, T0);
        identity = new FileKeyStore(fx.config(), clock, new Pkcs12Swap(fx.p12));
    }

    @Test
    void csrNamesTheSameSubjectAndIsSignedByTheNewKey() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(pending.csr());
        assertEquals(fx.device.getSubjectX500Principal(), new X500Principal(csr.getSubject().getEncoded()));
        assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(pending.publicKey())));
        assertArrayEquals(pending.publicKey().getEncoded(), new JcaPKCS10CertificationRequest(csr).getPublicKey().getEncoded());
        assertFalse(java.util.Arrays.equals(fx.device.getPublicKey().getEncoded(), pending.publicKey().getEncoded()),
                "a renewal is a re-key");
    }

    @Test
    void completedRenewalSwapsFileAndMemoryAndKeepsThePrevious() throws Exception {
        byte[] before = Files.readAllBytes(fx.p12);
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> issued = fx.issue(FileIdentityFixture.SUBJECT, pending.publicKey(), T0);
        identity.completeRenewal(pending, issued);

        assertEquals(issued, identity.certificateChain());
        assertEquals("gw-renew", identity.deviceId());
        assertEquals(issued.get(0), new FileKeyStore(fx.config(), clock, new Pkcs12Swap(fx.p12)).certificateChain().get(0),
                "a restart loads the renewed identity");
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("device.p12.previous")));
        assertFalse(Files.exists(dir.resolve("device.p12.renewing")));
    }

    @Test
    void chainForAnotherKeyIsRefusedAndOldIdentityIntact() throws Exception {
        byte[] before = Files.readAllBytes(fx.p12);
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> foreignKey = fx.issue(FileIdentityFixture.SUBJECT, TestPki.p256().getPublic(), T0);
        assertCode(RenewalErrorCode.KEY_MISMATCH, () -> identity.completeRenewal(pending, foreignKey));
        assertUnchanged(before);
    }

    @Test
    void certificateForAnotherSubjectIsRefused() throws Exception {
        byte[] before = Files.readAllBytes(fx.p12);
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> other = fx.issue("CN=gw-other,OU=devices,O=Gantry", pending.publicKey(), T0);
        assertCode(RenewalErrorCode.SUBJECT_MISMATCH, () -> identity.completeRenewal(pending, other));
        assertUnchanged(before);
    }

    @Test
    void chainFromAnotherCaIsRefused() throws Exception {
        byte[] before = Files.readAllBytes(fx.p12);
        PendingRenewal pending = identity.beginRenewal();
        TestPki rogue = new TestPki();
        List<X509Certificate> chain = List.of(rogue.device(FileIdentityFixture.SUBJECT, pending.publicKey(),
                T0.minusSeconds(60), T0.plus(Duration.ofDays(365))), rogue.issuer);
        assertCode(RenewalErrorCode.UNTRUSTED_CHAIN, () -> identity.completeRenewal(pending, chain));
        assertUnchanged(before);
    }

    @Test
    void certificateNotValidAtTheInjectedClockIsRefused() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> issued = fx.issue(FileIdentityFixture.SUBJECT, pending.publicKey(), T0);
        clock.advance(Duration.ofDays(6 * 365));
        assertCode(RenewalErrorCode.NOT_VALID, () -> identity.completeRenewal(pending, issued));
        assertEquals(fx.device, identity.certificateChain().get(0));
    }

    @Test
    void onlyTheLatestPendingRenewalCanComplete() throws Exception {
        PendingRenewal first = identity.beginRenewal();
        identity.beginRenewal();
        List<X509Certificate> issued = fx.issue(FileIdentityFixture.SUBJECT, first.publicKey(), T0);
        assertCode(RenewalErrorCode.UNKNOWN_RENEWAL, () -> identity.completeRenewal(first, issued));
        assertEquals(fx.device, identity.certificateChain().get(0));
    }

    @Test
    void failedRenameLeavesTheOldFileAndIdentityInUse() throws Exception {
        byte[] before = Files.readAllBytes(fx.p12);
        Pkcs12Swap failing = new Pkcs12Swap(fx.p12) {
            @Override
            void rename(Path temp) throws IOException {
                throw new IOException("simulated power loss before rename");
            }
        };
        FileKeyStore crashing = new FileKeyStore(fx.config(), clock, failing);
        PendingRenewal pending = crashing.beginRenewal();
        List<X509Certificate> issued = fx.issue(FileIdentityFixture.SUBJECT, pending.publicKey(), T0);
        assertCode(RenewalErrorCode.STORE_FAILED, () -> crashing.completeRenewal(pending, issued));
        assertEquals(fx.device, crashing.certificateChain().get(0));
        assertArrayEquals(before, Files.readAllBytes(fx.p12));
        assertFalse(Files.exists(dir.resolve("device.p12.renewing")));
    }

    @Test
    void crashAfterWritingTheNewStoreButBeforeRenameRestartsWithTheOldIdentity() throws Exception {
        // The steps of a swap up to the rename, then the process dies: nothing else runs.
        Pkcs12Swap swap = new Pkcs12Swap(fx.p12);
        KeyStore half = KeyStore.getInstance("PKCS12");
        half.load(null, null);
        half.setCertificateEntry("junk", fx.pki.issuer);
        swap.writeTemp(half, "s3cret-for-tests".toCharArray());
        swap.keepPrevious();

        FileKeyStore restarted = new FileKeyStore(fx.config(), clock, new Pkcs12Swap(fx.p12));
        assertEquals(fx.device, restarted.certificateChain().get(0));
        assertFalse(Files.exists(dir.resolve("device.p12.renewing")), "the leftover is discarded at activation");
    }

    private void assertUnchanged(byte[] fileBefore) throws Exception {
        assertEquals(fx.device, identity.certificateChain().get(0));
        assertArrayEquals(fileBefore, Files.readAllBytes(fx.p12));
        assertFalse(Files.exists(dir.resolve("device.p12.previous")));
    }

    private static void assertCode(RenewalErrorCode code, org.junit.jupiter.api.function.Executable call) {
        assertEquals(code, assertThrows(RenewalException.class, call).code());
    }
}
