package io.gantry.backend.tls;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The JAX-RS security context of a request authenticated by its TLS client certificate. */
final class CertificateSecurityContext implements SecurityContext {
    private final ClientIdentity identity;

    CertificateSecurityContext(ClientIdentity identity) {
        this.identity = identity;
    }

    @Override
    public Principal getUserPrincipal() {
        return identity;
    }

    @Override
    public boolean isUserInRole(String role) {
        return identity.role() != null && identity.role().name().equals(role);
    }

    @Override
    public boolean isSecure() {
        return true;
    }

    @Override
    public String getAuthenticationScheme() {
        return SecurityContext.CLIENT_CERT_AUTH;
    }
}
