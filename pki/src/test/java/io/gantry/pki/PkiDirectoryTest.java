package io.gantry.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiDirectoryTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    @TempDir
    static Path tmp;
    static PkiDirectory pki;

    @BeforeAll
    static void createPki() throws Exception {
        pki = PkiDirectory.create(tmp.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS, CLOCK);
    }

    static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        params.setDate(java.util.Date.from(CLOCK.instant()));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
    }

    @Test
    void deviceServerAndOperatorChainsValidateFromRoot() throws Exception {
        X509Certificate root = pki.rootCertificate();
        pki.issueDevice("dev-chain");
        pki.issueOperator("alice-chain");
        validate(pki.loadDevice("dev-chain").chain(), root);
        validate(pki.loadOperator("alice-chain").chain(), root);
        validate(pki.loadServer().chain(), root);
        assertEquals(2, pki.loadDevice("dev-chain").chain().size());
    }

    @Test
    void aPushIdentityCarriesACommonNameNoDeviceCanHave() throws Exception {
        Path store = pki.issuePushIdentity("gantry-push");
        assertEquals(tmp.resolve("pki/backend/gantry-push.p12"), store);
        X509Certificate leaf = pki.loadPushIdentity("gantry-push").chain().get(0);
        validate(pki.loadPushIdentity("gantry-push").chain(), pki.rootCertificate());
        assertEquals("CN=backend:gantry-push,OU=backend,O=Gantry", leaf.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), leaf.getExtendedKeyUsage(), "clientAuth only");
        assertThrows(IllegalArgumentException.class, () -> pki.issueDevice("backend:gantry-push"),
                "a device id cannot take a push identity's CN");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> pki.issuePushIdentity("gantry-push"));
    }

    @Test
    void pathLengthsAndKeyUsagesFollowTheProfile() throws Exception {
        X509Certificate root = pki.rootCertificate();
        X509Certificate intermediate = pki.loadIntermediate().chain().get(0);
        pki.issueDevice("dev-profile");
        X509Certificate device = pki.loadDevice("dev-profile").chain().get(0);
        X509Certificate server = pki.loadServer().chain().get(0);
        assertEquals(1, root.getBasicConstraints());
        assertEquals(0, intermediate.getBasicConstraints());
        assertEquals(-1, device.getBasicConstraints());
        assertEquals(-1, server.getBasicConstraints());
        // KeyUsage bits: 0 digitalSignature, 5 keyCertSign, 6 cRLSign
        assertTrue(root.getKeyUsage()[5] && root.getKeyUsage()[6] && !root.getKeyUsage()[0]);
        assertTrue(intermediate.getKeyUsage()[5] && intermediate.getKeyUsage()[6]);
        assertTrue(device.getKeyUsage()[0] && !device.getKeyUsage()[5]);
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), device.getExtendedKeyUsage());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage());
        assertEquals("CN=dev-profile,OU=devices,O=Gantry", device.getSubjectX500Principal().getName());
        assertEquals("SHA256withECDSA", device.getSigAlgName());
        assertTrue(device.getSerialNumber().signum() > 0);
        assertNotEquals(device.getSerialNumber(), server.getSerialNumber());
        Collection<List<?>> sans = server.getSubjectAlternativeNames();
        assertTrue(sans.contains(List.of(2, "localhost")) && sans.contains(List.of(7, "127.0.0.1")));
        assertTrue(intermediate.getExtensionValue("2.5.29.14") != null, "intermediate carries an SKI");
        assertTrue(device.getExtensionValue("2.5.29.35") != null, "device cert carries an AKI");
    }

    @Test
    void certificateSignedByDeviceKeyDoesNotValidate() throws Exception {
        pki.issueDevice("dev-rogue-ca");
        ProtectedKeyStore device = pki.loadDevice("dev-rogue-ca");
        // A device that tries to act as a CA: its certificate is wrapped as an issuer and signs a leaf.
        CertificateAuthority rogue = new CertificateAuthority(device.privateKey(), fakeCaView(device), CLOCK);
        List<X509Certificate> forged = rogue.issueDevice("victim").chain();
        List<X509Certificate> path = List.of(forged.get(0), device.chain().get(0), device.chain().get(1));
        assertThrows(CertPathValidatorException.class, () -> validate(path, pki.rootCertificate()));
    }

    /** A CertificateAuthority refuses non-CA certificates, so the rogue uses a self-made CA cert with the device's subject. */
    private static X509Certificate fakeCaView(ProtectedKeyStore device) throws Exception {
        X509Certificate real = device.chain().get(0);
        return X509Signing.sign(org.bouncycastle.asn1.x500.X500Name.getInstance(real.getSubjectX500Principal().getEncoded()),
                device.privateKey(), org.bouncycastle.asn1.x500.X500Name.getInstance(real.getSubjectX500Principal().getEncoded()),
                real.getPublicKey(), CLOCK.instant(), java.time.Duration.ofDays(1),
                b -> b.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                        new org.bouncycastle.asn1.x509.BasicConstraints(0)));
    }

    @Test
    void createRefusesToReplaceAnExistingRoot() {
        assertThrows(FileAlreadyExistsException.class, () -> PkiDirectory.create(pki.dir(), PkiDirectory.DEFAULT_SERVER_SANS, CLOCK));
    }

    @Test
    void oneCertificatePerDevice() throws Exception {
        pki.issueDevice("dev-once");
        assertThrows(FileAlreadyExistsException.class, () -> pki.issueDevice("dev-once"));
    }

    @Test
    void passwordsAreRandomAndOwnerOnly() throws Exception {
        Path pass = Pkcs12Files.passwordFile(pki.serverKeyStore());
        assertTrue(Files.size(pass) >= 32);
        assertNotEquals(Files.readString(pass), Files.readString(Pkcs12Files.passwordFile(pki.intermediateKeyStore())));
        if (Files.getFileStore(pass).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pass)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.rootKeyStore())));
        }
    }

    @Test
    void rejectsIdsThatCouldEscapeTheFolderOrTheDn() {
        assertThrows(IllegalArgumentException.class, () -> pki.issueDevice("../evil"));
        assertThrows(IllegalArgumentException.class, () -> pki.issueDevice("a,OU=operators"));
        assertFalse(Files.exists(pki.dir().resolve("evil.p12")));
    }
}
