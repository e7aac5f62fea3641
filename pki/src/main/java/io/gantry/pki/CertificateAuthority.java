package io.gantry.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * A certificate authority: its key and certificate, issuing the certificates of the Gantry PKI
 * (root, intermediate, TLS server, device and operator clients) with ECDSA P-256 and
 * SHA256withECDSA. Every certificate gets a random 128-bit serial, SKI and (below the root) AKI;
 * end-entity certificates also carry the CRL distribution point and OCSP URL of the CA's
 * {@link RevocationEndpoints} when it has them. Every issued certificate is reported to the CA's
 * {@link IssuanceLog}, and issuance fails if it cannot be. Time comes from the injected clock.
 */
public final class CertificateAuthority {
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Clock clock;
    private final RevocationEndpoints revocation;
    private final IssuanceLog log;

    /** A CA whose certificates carry no revocation URLs and are recorded nowhere. */
    public CertificateAuthority(PrivateKey key, X509Certificate certificate, Clock clock) {
        this(key, certificate, clock, null, IssuanceLog.NONE);
    }

    /**
     * @param key the CA's private key
     * @param certificate its certificate (must be a CA certificate)
     * @param clock the time source for validity periods
     * @param revocation URLs written into end-entity certificates, {@code null} for none
     * @param log told of every certificate issued
     * @throws IllegalArgumentException if the certificate is not a CA certificate
     */
    public CertificateAuthority(PrivateKey key, X509Certificate certificate, Clock clock, RevocationEndpoints revocation,
            IssuanceLog log) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.revocation = revocation;
        this.log = Objects.requireNonNull(log, "log");
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("not a CA certificate: " + certificate.getSubjectX500Principal());
        }
    }

    /**
     * Creates a self-signed root: CA with path length 1, keyCertSign|cRLSign, 20 years.
     *
     * @param name the root's common name (an id, see {@link SubjectNames#requireValidId})
     */
    public static CertificateAuthority createRoot(String name, Clock clock) throws GeneralSecurityException {
        return createRoot(name, clock, null, IssuanceLog.NONE);
    }

    /**
     * Creates a self-signed root whose descendants carry {@code revocation} URLs and are recorded in
     * {@code log}. The root itself is not recorded: it is the trust anchor, replaced rather than revoked.
     */
    public static CertificateAuthority createRoot(String name, Clock clock, RevocationEndpoints revocation, IssuanceLog log)
            throws GeneralSecurityException {
        KeyPair kp = EcKeys.generateP256();
        X500Name subject = SubjectNames.of(name, null);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509Certificate cert = X509Signing.sign(subject, kp.getPrivate(), subject, kp.getPublic(), clock.instant(),
                CertificateProfile.ROOT_VALIDITY, b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(1));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                    b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
                });
        return new CertificateAuthority(kp.getPrivate(), cert, clock, revocation, log);
    }

    /** @return this CA's certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return this CA's private key */
    public PrivateKey privateKey() {
        return key;
    }

    /** Issues an intermediate CA: path length 0, keyCertSign|cRLSign, 10 years. */
    public CertificateAuthority issueIntermediate(String name) throws GeneralSecurityException {
        KeyPair kp = EcKeys.generateP256();
        X509Certificate cert = issue(SubjectNames.of(name, null), kp.getPublic(), CertificateProfile.INTERMEDIATE_VALIDITY,
                new BasicConstraints(0), KeyUsage.keyCertSign | KeyUsage.cRLSign, null, null);
        return new CertificateAuthority(kp.getPrivate(), cert, clock, revocation, log);
    }

    /**
     * Issues a TLS server certificate: digitalSignature, serverAuth, 2 years.
     *
     * @param subjectAlternativeNames DNS names and IP literals (IPv4 dotted or IPv6 with colons)
     */
    public IssuedCredential issueServer(String name, List<String> subjectAlternativeNames) throws GeneralSecurityException {
        if (subjectAlternativeNames.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one subject alternative name");
        }
        GeneralName[] names = subjectAlternativeNames.stream().map(CertificateAuthority::generalName).toArray(GeneralName[]::new);
        KeyPair kp = EcKeys.generateP256();
        X509Certificate cert = issue(SubjectNames.of(name, null), kp.getPublic(), CertificateProfile.SERVER_VALIDITY,
                new BasicConstraints(false), KeyUsage.digitalSignature, KeyPurposeId.id_kp_serverAuth, new GeneralNames(names));
        return new IssuedCredential(kp.getPrivate(), chainWith(cert));
    }

    /** Issues a device client certificate {@code CN=<id>,OU=devices,O=Gantry} valid 5 years with a new key. */
    public IssuedCredential issueDevice(String deviceId) throws GeneralSecurityException {
        return issueDevice(deviceId, CertificateProfile.DEVICE_VALIDITY);
    }

    /**
     * Issues a device client certificate with a new key and a chosen validity (a shorter one puts a
     * device inside its renewal window, as the demo does).
     */
    public IssuedCredential issueDevice(String deviceId, Duration validity) throws GeneralSecurityException {
        KeyPair kp = EcKeys.generateP256();
        X509Certificate cert = issueClient(SubjectNames.of(deviceId, CertificateProfile.DEVICES_OU), kp.getPublic(), validity);
        return new IssuedCredential(kp.getPrivate(), chainWith(cert));
    }

    /**
     * Issues the backend's push identity {@code CN=backend:<name>,OU=backend,O=Gantry} (clientAuth,
     * 2 years) with a new key: its client certificate on an external MQTT broker (docs/mqtt.md).
     */
    public IssuedCredential issuePushIdentity(String name) throws GeneralSecurityException {
        KeyPair kp = EcKeys.generateP256();
        X509Certificate cert = issueClient(SubjectNames.pushIdentity(name), kp.getPublic(), CertificateProfile.PUSH_IDENTITY_VALIDITY);
        return new IssuedCredential(kp.getPrivate(), chainWith(cert));
    }

    /**
     * Issues a one-time factory credential {@code CN=<id>,OU=factory,O=Gantry} (clientAuth) with a
     * new key: it authenticates exactly one EST simpleenroll for that device id.
     */
    public IssuedCredential issueFactory(String deviceId, Duration validity) throws GeneralSecurityException {
        KeyPair kp = EcKeys.generateP256();
        X509Certificate cert = issueClient(SubjectNames.of(deviceId, CertificateProfile.FACTORY_OU), kp.getPublic(), validity);
        return new IssuedCredential(kp.getPrivate(), chainWith(cert));
    }

    /**
     * Issues an operator client certificate {@code CN=<name>,OU=operators,O=Gantry} valid 1 year
     * carrying every {@link OperatorRole}: what operator certificates granted before roles existed.
     */
    public IssuedCredential issueOperator(String operatorName) throws GeneralSecurityException {
        return issueOperator(operatorName, java.util.EnumSet.allOf(OperatorRole.class));
    }

    /**
     * Issues an operator client certificate {@code CN=<name>,OU=operators,O=Gantry} valid 1 year
     * carrying exactly {@code roles} ({@link OperatorRoleExtension}).
     *
     * @throws IllegalArgumentException if {@code roles} is empty
     */
    public IssuedCredential issueOperator(String operatorName, java.util.Set<OperatorRole> roles) throws GeneralSecurityException {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("an operator certificate needs at least one role");
        }
        KeyPair kp = EcKeys.generateP256();
        X509Certificate cert = issue(SubjectNames.of(operatorName, CertificateProfile.OPERATORS_OU), kp.getPublic(),
                CertificateProfile.OPERATOR_VALIDITY, new BasicConstraints(false), KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_clientAuth, null, b -> OperatorRoleExtension.addTo(b, roles));
        return new IssuedCredential(kp.getPrivate(), chainWith(cert));
    }

    /**
     * Issues a device certificate for a key the device holds (e.g. from a CSR, see {@link CsrIssuance}).
     *
     * @return the chain, device certificate first, without the root
     */
    public List<X509Certificate> issueDevice(String deviceId, PublicKey devicePublicKey) throws GeneralSecurityException {
        X509Certificate cert = issueClient(SubjectNames.of(deviceId, CertificateProfile.DEVICES_OU), devicePublicKey,
                CertificateProfile.DEVICE_VALIDITY);
        return chainWith(cert);
    }

    /**
     * Issues a delegated OCSP signing certificate (RFC 6960 4.2.2.2): id-kp-OCSPSigning and
     * id-pkix-ocsp-nocheck, so relying parties do not ask about the responder itself; keep
     * {@code validity} short, since it cannot be revoked.
     *
     * @param name the responder's common name
     */
    public X509Certificate issueOcspResponder(String name, PublicKey responderKey, Duration validity)
            throws GeneralSecurityException {
        return issue(SubjectNames.of(name, null), responderKey, validity, new BasicConstraints(false), KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_OCSPSigning, null);
    }

    private X509Certificate issueClient(X500Name subject, PublicKey key, Duration validity) throws GeneralSecurityException {
        return issue(subject, key, validity, new BasicConstraints(false), KeyUsage.digitalSignature,
                KeyPurposeId.id_kp_clientAuth, null);
    }

    private X509Certificate issue(X500Name subject, PublicKey subjectKey, Duration validity, BasicConstraints constraints,
            int keyUsage, KeyPurposeId eku, GeneralNames san) throws GeneralSecurityException {
        return issue(subject, subjectKey, validity, constraints, keyUsage, eku, san, b -> { });
    }

    private X509Certificate issue(X500Name subject, PublicKey subjectKey, Duration validity, BasicConstraints constraints,
            int keyUsage, KeyPurposeId eku, GeneralNames san, X509Signing.Extensions extra) throws GeneralSecurityException {
        String role = CertificateProfile.roleOf(subject, constraints.isCA(), eku);
        X509Certificate issued = sign(subject, subjectKey, validity, constraints, keyUsage, eku, san, extra);
        try {
            log.issued(issued, role);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("issued " + subject + " but could not record it: refusing to hand it out", e);
        }
        return issued;
    }

    private X509Certificate sign(X500Name subject, PublicKey subjectKey, Duration validity, BasicConstraints constraints,
            int keyUsage, KeyPurposeId eku, GeneralNames san, X509Signing.Extensions extra) throws GeneralSecurityException {
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        return X509Signing.sign(issuer, key, subject, subjectKey, clock.instant(), validity, b -> {
            b.addExtension(Extension.basicConstraints, true, constraints);
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            if (eku != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            }
            if (san != null) {
                b.addExtension(Extension.subjectAlternativeName, false, san);
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            if (KeyPurposeId.id_kp_OCSPSigning.equals(eku)) {
                b.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            } else if (!constraints.isCA() && revocation != null) {
                RevocationExtensions.addTo(b, revocation, RevocationEndpoints.keyIdOf(certificate));
            }
            extra.addTo(b);
        });
    }

    /** The chain a peer presents: the leaf, then this CA unless this CA is the (self-signed) root. */
    private List<X509Certificate> chainWith(X509Certificate leaf) {
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            chain.add(certificate);
        }
        return chain;
    }

    private static GeneralName generalName(String san) {
        boolean ip = san.matches("[0-9.]+") || san.contains(":");
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, san);
    }
}
