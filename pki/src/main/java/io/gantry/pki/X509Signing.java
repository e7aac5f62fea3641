package io.gantry.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Builds and signs one X.509 v3 certificate with SHA256withECDSA. BouncyCastle signs (about 5x
 * faster than SunEC for P-256, BUILD-NOTES.md; {@link JcaProviders}); the result is converted to a JDK certificate so
 * JSSE and {@code CertPathValidator} see their own type.
 */
final class X509Signing {
    /** BC as a private provider instance: never registered globally, so nothing else changes. */
    static final Provider BC = JcaProviders.BC;
    /** Backdating tolerates peers whose clocks run a little behind the CA's. */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Adds extensions to a certificate under construction. */
    @FunctionalInterface
    interface Extensions {
        void addTo(X509v3CertificateBuilder builder) throws CertIOException, GeneralSecurityException;
    }

    private X509Signing() {
    }

    static X509Certificate sign(X500Name issuer, PrivateKey issuerKey, X500Name subject, PublicKey subjectKey,
            Instant now, Duration validity, Extensions extensions) throws GeneralSecurityException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, randomSerial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, subjectKey);
        try {
            extensions.addTo(b);
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(JcaProviders.signer().build(issuerKey)));
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build certificate for " + subject, e);
        }
    }

    /** RFC 5280 4.1.2.2: positive, at most 20 octets; 128 random bits make collisions negligible. */
    static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }
}
