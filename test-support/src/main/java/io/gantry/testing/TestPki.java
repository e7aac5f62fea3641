package io.gantry.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A root and an issuing CA in software (ECDSA P-256, made with BouncyCastle), and the device and
 * server certificates tests need from them. For tests below the PKI library (gateway bundles); tests
 * that need the real offline CA and its certificate profiles use {@code io.gantry.pki.PkiDirectory}.
 *
 * <p>CA names are unique per instance ({@code CN=test-root-<id>}, {@code CN=test-issuer-<id>}): a
 * PKCS#11 token rebuilds a chain by issuer name, and tests share one token. The root is valid for 20
 * years and the issuing CA for 10, from ten minutes ago.
 */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String id = Long.toHexString(RANDOM.nextLong());
    /** The root CA's key pair. */
    public final KeyPair rootKey;
    /** The self-signed root certificate: the trust anchor. */
    public final X509Certificate root;
    /** The issuing CA's key pair. */
    public final KeyPair issuerKey;
    /** The issuing CA's certificate, signed by the root. */
    public final X509Certificate issuer;

    /** A new root and issuing CA. */
    public TestPki() throws GeneralSecurityException {
        Instant now = Instant.now();
        X500Name rootName = new X500Name("CN=test-root-" + id);
        rootKey = p256();
        root = sign(rootName, rootKey.getPrivate(), rootName, rootKey.getPublic(), true, null,
                now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofDays(20 * 365)));
        issuerKey = p256();
        issuer = intermediate("CN=test-issuer-" + id, issuerKey);
    }

    private TestPki(TestPki parent, String issuerName) throws GeneralSecurityException {
        rootKey = parent.rootKey;
        root = parent.root;
        issuerKey = p256();
        issuer = parent.intermediate(issuerName, issuerKey);
    }

    /** @return a new issuing CA named {@code name} under the same root (an intermediate rotation) */
    public TestPki newIntermediate(String name) throws GeneralSecurityException {
        return new TestPki(this, name);
    }

    /**
     * @return a client certificate for {@code CN=<deviceId>,OU=devices,O=Gantry}, issued by the
     *     issuing CA, valid from five minutes ago for a day
     */
    public X509Certificate device(String deviceId, PublicKey key) throws GeneralSecurityException {
        Instant now = Instant.now();
        return device("CN=" + deviceId + ",OU=devices,O=Gantry", key, now.minus(Duration.ofMinutes(5)),
                now.plus(Duration.ofDays(1)));
    }

    /** @return a client certificate for {@code subject} valid from {@code notBefore} to {@code notAfter} */
    public X509Certificate device(String subject, PublicKey key, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        return device(new X500Name(subject), key, notBefore, notAfter);
    }

    /** @return a client certificate for {@code subject} valid from {@code notBefore} to {@code notAfter} */
    public X509Certificate device(X500Name subject, PublicKey key, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        return sign(issuerName(), issuerKey.getPrivate(), subject, key, false, KeyPurposeId.id_kp_clientAuth,
                notBefore, notAfter);
    }

    /**
     * @return a server certificate for {@code CN=localhost} with SANs 127.0.0.1 and localhost, issued by
     *     the issuing CA, valid from five minutes ago for a year
     */
    public X509Certificate server(PublicKey key) throws GeneralSecurityException {
        Instant now = Instant.now();
        return sign(issuerName(), issuerKey.getPrivate(), new X500Name("CN=localhost"), key, false,
                KeyPurposeId.id_kp_serverAuth, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(365)));
    }

    /**
     * @return a TLS server context: a new P-256 key with a {@link #server} certificate (chain: server,
     *     issuing CA), trusting this PKI's root for client certificates
     */
    public SSLContext serverContext() throws GeneralSecurityException, IOException {
        KeyPair key = p256();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key.getPrivate(), new char[0], new Certificate[] {server(key.getPublic()), issuer});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Writes the root certificate as PEM (a gateway's trust anchor) and returns {@code file}. */
    public Path writeRoot(Path file) throws IOException, GeneralSecurityException {
        return Files.writeString(file, pem(root), StandardCharsets.US_ASCII);
    }

    /** @return the certificate as one PEM block */
    public static String pem(X509Certificate cert) throws GeneralSecurityException {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded());
        return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    }

    /** @return a new software ECDSA P-256 key pair */
    public static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** @return base64 of a certs-only CMS SignedData holding {@code certs}: an EST answer (RFC 7030 §4.1.3) */
    public static byte[] certsOnly(List<X509Certificate> certs) throws GeneralSecurityException, IOException {
        try {
            CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
            gen.addCertificates(new JcaCertStore(certs));
            return Base64.getMimeEncoder().encode(gen.generate(new CMSAbsentContent()).getEncoded());
        } catch (CMSException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private X500Name issuerName() {
        return X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    }

    private X509Certificate intermediate(String name, KeyPair key) throws GeneralSecurityException {
        Instant now = Instant.now();
        return sign(X500Name.getInstance(root.getSubjectX500Principal().getEncoded()), rootKey.getPrivate(),
                new X500Name(name), key.getPublic(), true, null, now.minus(Duration.ofMinutes(10)),
                now.plus(Duration.ofDays(10 * 365)));
    }

    private static X509Certificate sign(X500Name issuer, PrivateKey signer, X500Name subject, PublicKey key, boolean ca,
            KeyPurposeId purpose, Instant notBefore, Instant notAfter) throws GeneralSecurityException {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
                Date.from(notBefore), Date.from(notAfter), subject, key);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (purpose != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (purpose == KeyPurposeId.id_kp_serverAuth) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
