package io.gantry.renewal.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A root and an issuing CA made with BouncyCastle, and EST certs-only answers made from them. */
final class TestCa {
    final KeyPair rootKey = p256();
    final X509Certificate root;
    final KeyPair issuerKey;
    final X509Certificate issuer;

    TestCa() throws Exception {
        Instant now = Instant.now();
        root = sign(new X500Name("CN=test-root"), rootKey.getPrivate(), new X500Name("CN=test-root"), rootKey.getPublic(),
                true, null, now.minusSeconds(600), now.plus(Duration.ofDays(20 * 365)));
        issuerKey = p256();
        issuer = intermediate("CN=test-issuing-ca", issuerKey);
    }

    private TestCa(TestCa parent, String name) throws Exception {
        // A new issuing CA under the same root (intermediate rotation).
        root = parent.root;
        issuerKey = p256();
        issuer = parent.intermediate(name, issuerKey);
    }

    TestCa newIntermediate(String name) throws Exception {
        return new TestCa(this, name);
    }

    private X509Certificate intermediate(String name, KeyPair key) throws Exception {
        Instant now = Instant.now();
        return sign(new X500Name(root.getSubjectX500Principal().getName()), rootKey.getPrivate(), new X500Name(name),
                key.getPublic(), true, null, now.minusSeconds(600), now.plus(Duration.ofDays(10 * 365)));
    }

    X509Certificate device(String subject, PublicKey key, Instant notBefore, Instant notAfter) throws Exception {
        return device(new X500Name(subject), key, notBefore, notAfter);
    }

    X509Certificate device(X500Name subject, PublicKey key, Instant notBefore, Instant notAfter) throws Exception {
        return sign(new X500Name(issuer.getSubjectX500Principal().getName()), issuerKey.getPrivate(), subject,
                key, false, KeyPurposeId.id_kp_clientAuth, notBefore, notAfter);
    }

    X509Certificate server(PublicKey key) throws Exception {
        Instant now = Instant.now();
        return sign(new X500Name(issuer.getSubjectX500Principal().getName()), issuerKey.getPrivate(), new X500Name("CN=localhost"),
                key, false, KeyPurposeId.id_kp_serverAuth, now.minusSeconds(600), now.plus(Duration.ofDays(365)));
    }

    Path writeRoot(Path file) throws Exception {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(root.getEncoded());
        return Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n");
    }

    /** @return base64 of a certs-only CMS SignedData (RFC 7030 §4.1.3) holding {@code certs} */
    static byte[] certsOnly(List<X509Certificate> certs) throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addCertificates(new JcaCertStore(certs));
        return Base64.getMimeEncoder().encode(gen.generate(new CMSAbsentContent()).getEncoded());
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name issuer, PrivateKey signer, X500Name subject, PublicKey key, boolean ca,
            KeyPurposeId purpose, Instant notBefore, Instant notAfter) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, new SecureRandom()),
                Date.from(notBefore), Date.from(notAfter), subject, key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (purpose != null) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (purpose == KeyPurposeId.id_kp_serverAuth) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }
}
