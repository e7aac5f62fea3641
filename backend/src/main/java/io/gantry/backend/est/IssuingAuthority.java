package io.gantry.backend.est;

import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.tls.ClientCertificateCheck;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.IssuanceLog;
import io.gantry.pki.JcaProviders;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.pki.RetiredIntermediates;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * The backend's online issuing CA as EST uses it: the intermediate's key (loaded once at start,
 * never the root's), the CA certificates {@code cacerts} serves, and the retired intermediates.
 * Issued certificates are recorded through {@link EnrollmentRegistry}, not the CA's own
 * {@link IssuanceLog} (that file log is the offline CLI's). CSR signatures are checked and certificates
 * signed on {@link JcaProviders} (BouncyCastle, several times faster than SunEC for P-256:
 * docs/benchmarks.md, "EST issuance").
 */
public final class IssuingAuthority {
    private final CertificateAuthority ca;
    private final List<X509Certificate> caCertificates;
    private final byte[] caCertsBody;
    private final RetiredIntermediates retired;

    IssuingAuthority(CertificateAuthority ca, X509Certificate root, RetiredIntermediates retired) {
        this.ca = ca;
        this.caCertificates = List.of(ca.certificate(), root);
        this.caCertsBody = CertsOnlyPkcs7.base64(caCertificates);
        this.retired = retired;
    }

    /**
     * @param config where the issuing CA and the retired-intermediates CRL are
     * @param rootPem the root certificate (the backend's client trust anchor)
     * @throws GeneralSecurityException if the CA does not chain to the root or the CRL is not the root's
     */
    public static IssuingAuthority load(EnrollmentConfig config, Path rootPem, Clock clock)
            throws IOException, GeneralSecurityException {
        config.validate();
        ProtectedKeyStore ks = Pkcs12Files.load(config.issuingCaKeyStore(), config.issuingCaPasswordFile());
        X509Certificate intermediate = ks.chain().get(0);
        X509Certificate root = PemCertificates.read(rootPem).get(0);
        intermediate.verify(root.getPublicKey());
        RetiredIntermediates retired = RetiredIntermediates.load(config.retiredIntermediatesCrl(), root);
        if (retired.retires(new X509Certificate[] {intermediate})) {
            throw new GeneralSecurityException("the issuing CA " + intermediate.getSubjectX500Principal() + " is retired");
        }
        return new IssuingAuthority(new CertificateAuthority(ks.privateKey(), intermediate, clock, config.revocation(),
                IssuanceLog.NONE), root, retired);
    }

    /** @return the issuing CA */
    CertificateAuthority ca() {
        return ca;
    }

    /** @return intermediate and root */
    public List<X509Certificate> caCertificates() {
        return caCertificates;
    }

    /** @return the {@code cacerts} body, computed once */
    byte[] caCertsBody() {
        return caCertsBody.clone();
    }

    /** @return the retired intermediates client chains must not contain */
    public RetiredIntermediates retired() {
        return retired;
    }

    /**
     * @param next the check to run when the chain avoids every retired intermediate
     * @return a client check refusing chains through a retired intermediate
     *     ({@link SecurityEventCode#INTERMEDIATE_RETIRED}), then asking {@code next}
     */
    public ClientCertificateCheck retiredIntermediatesThen(ClientCertificateCheck next) {
        return chain -> retired.retires(chain)
                ? new ClientCertificateCheck.Refusal(SecurityEventCode.INTERMEDIATE_RETIRED,
                        "the certificate's issuing CA has been retired by the root")
                : next.check(chain);
    }

    /** @return a verifier of CSR signatures, on the CA's JCA provider ({@link JcaProviders}: BouncyCastle) */
    static CsrRequests.ContentVerifierBuilder verifiers() {
        return key -> JcaProviders.verifier().build(key);
    }
}
