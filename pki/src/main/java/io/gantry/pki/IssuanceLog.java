package io.gantry.pki;

import java.io.IOException;
import java.security.cert.X509Certificate;

/**
 * Hears of every certificate a {@link CertificateAuthority} issues, so revocation can know the
 * complete set: the offline CLI appends to {@code issued.log} in the PKI folder
 * ({@link IssuanceLogFile}), which the backend imports into its certificate registry.
 */
@FunctionalInterface
public interface IssuanceLog {
    /** Records nothing: for CAs whose certificates are never revoked (tests, throwaway CAs). */
    IssuanceLog NONE = (certificate, role) -> { };

    /**
     * Records one issued certificate. Issuance fails if recording fails: a certificate nobody
     * knows of could never be revoked.
     *
     * @param certificate the certificate just signed
     * @param role {@code devices}, {@code operators}, {@code server}, {@code intermediate} or
     *     {@code ocsp-responder} ({@link CertificateProfile})
     * @throws IOException if the record cannot be written
     */
    void issued(X509Certificate certificate, String role) throws IOException;
}
