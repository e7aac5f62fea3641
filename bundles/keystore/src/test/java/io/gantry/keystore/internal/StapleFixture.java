package io.gantry.keystore.internal;

import io.gantry.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * A backend PKI for trust manager tests: root, issuing CA, server certificate (no AIA, no CDP, so
 * nothing can be fetched), and real RFC 6960 responses made with bcpkix, signed by the issuing CA
 * or by a delegated responder it certified.
 */
final class StapleFixture {
    final TestPki pki;
    final KeyPair serverKey = TestPki.p256();
    final X509Certificate server;
    final KeyStore anchors;

    StapleFixture() throws Exception {
        pki = new TestPki();
        server = pki.server(serverKey.getPublic());
        anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("root", pki.root);
    }

    java.util.List<X509Certificate> chain() {
        return java.util.List.of(server, pki.issuer);
    }

    enum Answer { GOOD, REVOKED, UNKNOWN }

    /** @return an OCSP response about {@code cert}, valid from {@code thisUpdate} for {@code life}, signed by the issuing CA */
    byte[] staple(X509Certificate cert, Answer answer, Instant thisUpdate, Duration life) throws Exception {
        return staple(cert, answer, thisUpdate, life, pki.issuerKey.getPrivate(), null);
    }

    /** @return the same, signed by {@code signer} and carrying {@code responder} (may be null) */
    byte[] staple(X509Certificate cert, Answer answer, Instant thisUpdate, Duration life, PrivateKey signer,
            X509Certificate responder) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(pki.issuer), cert.getSerialNumber());
        BasicOCSPRespBuilder b = new JcaBasicOCSPRespBuilder(
                (responder == null ? pki.issuer : responder).getPublicKey(),
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1));
        CertificateStatus status = switch (answer) {
            case GOOD -> CertificateStatus.GOOD;
            case REVOKED -> new RevokedStatus(Date.from(thisUpdate.minus(Duration.ofHours(1))), 1);
            case UNKNOWN -> new UnknownStatus();
        };
        b.addResponse(id, status, Date.from(thisUpdate), Date.from(thisUpdate.plus(life)), null);
        X509CertificateHolder[] certs = responder == null ? null : new X509CertificateHolder[] {new JcaX509CertificateHolder(responder)};
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer), certs, Date.from(thisUpdate))).getEncoded();
    }

    /** @return a server certificate for localhost whose AIA names the OCSP responder at {@code ocspUrl} */
    X509Certificate serverWithOcspUrl(KeyPair key, String ocspUrl) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new JcaX509CertificateHolder(pki.issuer).getSubject(),
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=localhost"), key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl)));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pki.issuerKey.getPrivate())));
    }

    /** @return a responder certificate issued by the issuing CA, with id-kp-OCSPSigning when {@code ocspSigning} */
    X509Certificate responder(KeyPair key, boolean ocspSigning) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new JcaX509CertificateHolder(pki.issuer).getSubject(),
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=test-ocsp-responder"), key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(ocspSigning ? KeyPurposeId.id_kp_OCSPSigning : KeyPurposeId.id_kp_serverAuth));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pki.issuerKey.getPrivate())));
    }
}
