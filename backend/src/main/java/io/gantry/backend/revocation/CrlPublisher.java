package io.gantry.backend.revocation;

import io.gantry.pki.JcaProviders;
import io.gantry.pki.RevocationEndpoints;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The X.509 v2 CRL (RFC 5280 5) of the issuing CA, signed with its key: every revoked serial with
 * its date and reason, a CRL number that only grows, nextUpdate one day after thisUpdate. A new CRL
 * is signed whenever the registry changed, and when half of the current one's validity has passed,
 * so a served CRL is never stale.
 */
public final class CrlPublisher {
    /** thisUpdate to nextUpdate. */
    public static final Duration VALIDITY = Duration.ofDays(1);
    private static final java.security.Provider BC = JcaProviders.bouncyCastle();
    private final CertificateRegistry registry;
    private final PrivateKey caKey;
    private final X509Certificate caCertificate;
    private final String keyId;
    private final Clock clock;
    private volatile Signed current;

    private record Signed(byte[] der, long generation, Instant thisUpdate) {
    }

    /**
     * @param registry revoked serials
     * @param caKey the issuing CA's key
     * @param caCertificate its certificate
     * @param clock thisUpdate/nextUpdate
     */
    public CrlPublisher(CertificateRegistry registry, PrivateKey caKey, X509Certificate caCertificate, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.caKey = Objects.requireNonNull(caKey, "caKey");
        this.caCertificate = Objects.requireNonNull(caCertificate, "caCertificate");
        this.keyId = RevocationEndpoints.keyIdOf(caCertificate);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return the hex key id naming this CA's CRL ({@code /crl/<keyId>.crl}) */
    public String keyId() {
        return keyId;
    }

    /**
     * @return the current CRL, DER; signed anew if the registry changed or it is half-way to nextUpdate.
     *     A fresh one is served without taking the lock, so readers never wait behind a signing.
     */
    public byte[] currentCrl() throws SQLException, GeneralSecurityException {
        Signed fresh = fresh(current, clock.instant(), registry.generation());
        if (fresh != null) {
            return fresh.der().clone();
        }
        synchronized (this) {
            Instant now = clock.instant();
            long generation = registry.generation();
            Signed signed = fresh(current, now, generation);
            if (signed == null) {
                signed = new Signed(sign(now), generation, now);
                current = signed;
            }
            return signed.der().clone();
        }
    }

    private static Signed fresh(Signed s, Instant now, long generation) {
        return s != null && s.generation() == generation && now.isBefore(s.thisUpdate().plus(VALIDITY.dividedBy(2)))
                && !now.isBefore(s.thisUpdate()) ? s : null;
    }

    private byte[] sign(Instant now) throws SQLException, GeneralSecurityException {
        X500Name issuer = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
        X509v2CRLBuilder b = new X509v2CRLBuilder(issuer, Date.from(now));
        b.setNextUpdate(Date.from(now.plus(VALIDITY)));
        for (CertificateState s : registry.revokedBy(keyId)) {
            b.addCRLEntry(new BigInteger(s.serial(), 16), Date.from(s.revokedAt()), s.reason().code());
        }
        try {
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCertificate));
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(registry.nextCrlNumber(keyId))));
            return b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(caKey)).getEncoded();
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new GeneralSecurityException("cannot sign the CRL of " + caCertificate.getSubjectX500Principal(), e);
        }
    }
}
