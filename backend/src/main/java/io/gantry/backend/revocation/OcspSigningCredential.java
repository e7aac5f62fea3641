package io.gantry.backend.revocation;

import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.EcKeys;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The OCSP responder's delegated signing key (RFC 6960 4.2.2.2): a key that lives only in memory
 * and a certificate with id-kp-OCSPSigning and ocsp-nocheck, issued by the intermediate for
 * {@link #VALIDITY}. It is reissued when half of that has passed. Delegation keeps the
 * intermediate's key out of the per-request signing path; the short life stands in for
 * revocation, which nocheck rules out.
 */
public final class OcspSigningCredential {
    /** Life of a responder certificate. */
    public static final Duration VALIDITY = Duration.ofDays(7);
    /** Common name of the responder certificates. */
    public static final String NAME = "gantry-ocsp-responder";
    private final CertificateAuthority issuer;
    private final Clock clock;
    private Current current;

    /** A key with its certificate. @param key the signing key @param certificate its certificate */
    public record Current(PrivateKey key, X509Certificate certificate, Instant issuedAt) {
    }

    /**
     * @param issuer the intermediate, whose issuance log should be the registry
     * @param clock decides when to reissue
     */
    public OcspSigningCredential(CertificateAuthority issuer, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return a credential with at least half its validity left */
    public synchronized Current current() throws GeneralSecurityException {
        Instant now = clock.instant();
        if (current == null || !now.isBefore(current.issuedAt().plus(VALIDITY.dividedBy(2))) || now.isBefore(current.issuedAt())) {
            KeyPair kp = EcKeys.generateP256();
            current = new Current(kp.getPrivate(), issuer.issueOcspResponder(NAME, kp.getPublic(), VALIDITY), now);
        }
        return current;
    }

    /** @return the issuing CA's certificate */
    public X509Certificate issuerCertificate() {
        return issuer.certificate();
    }
}
