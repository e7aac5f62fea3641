package io.gantry.keystore.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;

/**
 * Revocation of the server certificate when the backend stapled nothing: the JDK's PKIX revocation
 * checker asks OCSP at the certificate's AIA URL and falls back to the CRL at its distribution
 * point. Only the server certificate is checked (the CAs are pinned and rotate by trust update).
 */
final class FetchedRevocation {
    /** Outcome of a fetch. */
    enum Outcome { GOOD, REVOKED, NO_ANSWER }

    private FetchedRevocation() {
    }

    static Outcome check(List<X509Certificate> chain, KeyStore anchors, Instant now) {
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setDate(Date.from(now));
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
            checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.ONLY_END_ENTITY));
            params.setRevocationEnabled(true);
            params.addCertPathChecker(checker);
            validator.validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
            return Outcome.GOOD;
        } catch (CertPathValidatorException e) {
            return e.getReason() == CertPathValidatorException.BasicReason.REVOKED ? Outcome.REVOKED : Outcome.NO_ANSWER;
        } catch (GeneralSecurityException e) {
            return Outcome.NO_ANSWER;
        }
    }
}
