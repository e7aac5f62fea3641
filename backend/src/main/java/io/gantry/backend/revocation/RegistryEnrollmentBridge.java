package io.gantry.backend.revocation;

import io.gantry.backend.est.EnrollmentRegistry;
import io.gantry.backend.tls.Role;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** Connects EST to the {@link CertificateRegistry}: what EST issues is recorded, and re-enrollment asks it about revocation. */
public final class RegistryEnrollmentBridge implements EnrollmentRegistry {
    private final CertificateRegistry registry;

    /** @param registry the backend's certificate registry */
    public RegistryEnrollmentBridge(CertificateRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
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
