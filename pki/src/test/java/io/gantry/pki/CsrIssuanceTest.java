package io.gantry.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CsrIssuanceTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    static final CertificateAuthority ROOT;
    static final CertificateAuthority CA;

    static {
        try {
            ROOT = CertificateAuthority.createRoot("test-root", CLOCK);
            CA = ROOT.issueIntermediate("test-intermediate");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static PKCS10CertificationRequest csr(String subject, KeyPair subjectKey, KeyPair signingKey) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), subjectKey.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey.getPrivate()));
    }

    @Test
    void issuesDeviceCertificateForTheRequestedKey() throws Exception {
        KeyPair k = EcKeys.generateP256();
        List<X509Certificate> chain = CsrIssuance.issueDevice(CA, csr("CN=dev-7,OU=operators,O=Evil", k, k), "dev-7");
        assertEquals(k.getPublic(), chain.get(0).getPublicKey());
        // The CA writes its own subject; the requested OU=operators is ignored.
        assertEquals("CN=dev-7,OU=devices,O=Gantry", chain.get(0).getSubjectX500Principal().getName());
        PkiDirectoryTest.validate(chain, ROOT.certificate());
    }

    @Test
    void rejectsCsrForAnotherDevice() throws Exception {
        KeyPair k = EcKeys.generateP256();
        assertThrows(CsrRejectedException.class, () -> CsrIssuance.issueDevice(CA, csr("CN=dev-8", k, k), "dev-7"));
    }

    @Test
    void rejectsCsrWithoutProofOfPossession() throws Exception {
        KeyPair victim = EcKeys.generateP256();
        KeyPair attacker = EcKeys.generateP256();
        assertThrows(CsrRejectedException.class, () -> CsrIssuance.issueDevice(CA, csr("CN=dev-7", victim, attacker), "dev-7"));
    }

    @Test
    void rejectsCsrWithTwoCommonNames() throws Exception {
        KeyPair k = EcKeys.generateP256();
        assertThrows(CsrRejectedException.class, () -> CsrIssuance.issueDevice(CA, csr("CN=dev-7,CN=dev-8", k, k), "dev-7"));
    }

    @Test
    void rejectsKeysOtherThanP256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair k = g.generateKeyPair();
        PKCS10CertificationRequest r = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=dev-7"), k.getPublic())
                .build(new JcaContentSignerBuilder("SHA384withECDSA").build(k.getPrivate()));
        assertThrows(CsrRejectedException.class, () -> CsrIssuance.issueDevice(CA, r, "dev-7"));
    }
}
