package io.gantry.keystore.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A root and an issuing CA in software, for certificates of keys that live on a test token. CA names
 * are unique per instance: the token rebuilds a chain by issuer name, and tests share one token.
 */
final class TestPki {
    private final String id = Long.toHexString(new SecureRandom().nextLong());
    private final X500Name rootName = new X500Name("CN=test-root-" + id);
    private final X500Name issuerName = new X500Name("CN=test-issuer-" + id);
    final KeyPair rootKey = p256();
    final X509Certificate root;
    final KeyPair issuerKey = p256();
    final X509Certificate issuer;

    TestPki() throws Exception {
        root = sign(rootName, rootName, rootKey.getPublic(), rootKey.getPrivate(), true, null);
        issuer = sign(rootName, issuerName, issuerKey.getPublic(), rootKey.getPrivate(), true, null);
    }

    /** @return a client certificate for a device, issued by the issuing CA */
    X509Certificate device(String deviceId, PublicKey key) throws Exception {
        return sign(issuerName, new X500Name("CN=" + deviceId + ",OU=devices,O=Gantry"), key,
                issuerKey.getPrivate(), false, KeyPurposeId.id_kp_clientAuth);
    }

    /** @return a client certificate for {@code subject} valid from {@code notBefore} to {@code notAfter} */
    X509Certificate device(String subject, PublicKey key, Instant notBefore, Instant notAfter) throws Exception {
        return sign(issuerName, new X500Name(subject), key, issuerKey.getPrivate(), false, KeyPurposeId.id_kp_clientAuth,
                notBefore, notAfter);
    }

    /** @return a server certificate for 127.0.0.1 and localhost, issued by the issuing CA */
    X509Certificate server(PublicKey key) throws Exception {
        return sign(issuerName, new X500Name("CN=localhost"), key, issuerKey.getPrivate(), false,
                KeyPurposeId.id_kp_serverAuth);
    }

    /** Writes the root certificate as PEM: the gateway's trust anchor. */
    Path writeRoot(Path file) throws Exception {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(root.getEncoded());
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n");
        return file;
    }

    static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, PublicKey key, PrivateKey signer, boolean ca,
            KeyPurposeId purpose) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        return sign(issuer, subject, key, signer, ca, purpose, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
    }

    private static X509Certificate sign(X500Name issuer, X500Name subject, PublicKey key, PrivateKey signer, boolean ca,
            KeyPurposeId purpose, Instant notBefore, Instant notAfter) throws GeneralSecurityException, IOException {
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
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
