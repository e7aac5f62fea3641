package io.gantry.backend.revocation;

import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.ReenrollmentPolicy;
import io.gantry.backend.db.Database;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.backend.tls.ClientCertificateCheck;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.CertificateProfile;
import io.gantry.pki.IssuanceLog;
import io.gantry.pki.IssuanceLogFile;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Revocation in the backend, assembled from the configuration: the {@link CertificateRegistry}
 * (with {@code issued.log} imported), the {@link CrlPublisher} and {@link OcspResponder} of the
 * issuing CA, and the {@link RegistryCheck} the TLS layer and the identity filter apply.
 *
 * @param registry every issued certificate and its status
 * @param logImport the PKI folder's issuance log import
 * @param crl the issuing CA's CRL
 * @param ocsp the OCSP responder
 * @param issuingCa the intermediate's certificate
 * @param renewals EST renewals and the superseding of the certificates they replaced
 */
public record RevocationService(CertificateRegistry registry, IssuanceLogImport logImport, CrlPublisher crl, OcspResponder ocsp,
        X509Certificate issuingCa, CertificateRenewals renewals) {

    /**
     * Loads the issuing CA, imports {@code issued.log} and records the CA chain.
     *
     * @throws IOException if {@code issued.log} cannot be read
     * @throws GeneralSecurityException if the issuing CA's key store cannot be read
     */
    public static RevocationService open(BackendConfig config, Database database, SecurityEvents events, Clock clock)
            throws IOException, GeneralSecurityException, SQLException {
        return open(config, database, events, clock, ReenrollmentPolicy.DEFAULT.supersededGrace());
    }

    /**
     * As {@link #open(BackendConfig, Database, SecurityEvents, Clock)}; a certificate an EST renewal
     * replaced is revoked at its replacement's first use or {@code supersededGrace} after the renewal.
     */
    public static RevocationService open(BackendConfig config, Database database, SecurityEvents events, Clock clock,
            Duration supersededGrace) throws IOException, GeneralSecurityException, SQLException {
        return open(config, database, events, clock, supersededGrace, new BackendMetrics());
    }

    /** As {@link #open(BackendConfig, Database, SecurityEvents, Clock, Duration)}, counting revocations in {@code metrics}. */
    public static RevocationService open(BackendConfig config, Database database, SecurityEvents events, Clock clock,
            Duration supersededGrace, BackendMetrics metrics) throws IOException, GeneralSecurityException, SQLException {
        ProtectedKeyStore ca = Pkcs12Files.load(config.issuingCaKeyStore());
        List<X509Certificate> chain = ca.chain();
        CertificateRegistry registry = new CertificateRegistry(database, clock, events, metrics);
        List<X509Certificate> trusted = new ArrayList<>(PemCertificates.read(config.clientTrustAnchor()));
        trusted.addAll(chain);
        IssuanceLogImport logImport = new IssuanceLogImport(new IssuanceLogFile(config.issuanceLog()), registry, trusted);
        logImport.refresh();
        if (chain.get(0).getExtensionValue(org.bouncycastle.asn1.x509.Extension.authorityKeyIdentifier.getId()) != null) {
            registry.record(chain.get(0), CertificateProfile.ROLE_INTERMEDIATE);
        }
        IssuanceLog toRegistry = (certificate, role) -> {
            try {
                registry.record(certificate, role);
            } catch (SQLException e) {
                throw new IOException("cannot record " + certificate.getSubjectX500Principal(), e);
            }
        };
        CertificateAuthority issuer = new CertificateAuthority(ca.privateKey(), chain.get(0), clock, null, toRegistry);
        CrlPublisher crl = new CrlPublisher(registry, ca.privateKey(), chain.get(0), clock);
        OcspResponder ocsp = new OcspResponder(registry, new OcspSigningCredential(issuer, clock), clock);
        return new RevocationService(registry, logImport, crl, ocsp, chain.get(0),
                new CertificateRenewals(database, registry, clock, supersededGrace));
    }

    /** @return the client-chain check for the TLS trust manager and the identity filter */
    public ClientCertificateCheck check() {
        return new RegistryCheck(registry, logImport, renewals);
    }
}
