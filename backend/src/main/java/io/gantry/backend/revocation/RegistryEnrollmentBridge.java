package io.gantry.backend.revocation;

import io.gantry.backend.est.EnrollmentRegistry;
import io.gantry.backend.tls.Role;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Connects EST to the {@link CertificateRegistry}: what EST issues is recorded, re-enrollment asks it
 * about revocation, and renewals are recorded in {@link CertificateRenewals} (limit and superseding).
 */
public final class RegistryEnrollmentBridge implements EnrollmentRegistry {
    private final CertificateRegistry registry;
    private final CertificateRenewals renewals;

    /**
     * @param registry the backend's certificate registry
     * @param renewals the renewals ledger
     */
    public RegistryEnrollmentBridge(CertificateRegistry registry, CertificateRenewals renewals) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.renewals = Objects.requireNonNull(renewals, "renewals");
    }

    @Override
    public void renewed(X509Certificate previous, X509Certificate issued, String deviceId) throws Exception {
        renewals.renewed(Serials.hex(previous.getSerialNumber()), Serials.hex(issued.getSerialNumber()), deviceId);
    }

    @Override
    public List<Instant> renewalsSince(String deviceId, Instant since) throws Exception {
        return renewals.renewalsSince(deviceId, since);
    }

    @Override
    public void issued(X509Certificate certificate, Role role) throws Exception {
        registry.record(certificate, role.organisationalUnit());
    }

    @Override
    public boolean isRevoked(X509Certificate certificate) throws Exception {
        return registry.status(certificate).status() == CertificateState.Status.REVOKED;
    }
}
