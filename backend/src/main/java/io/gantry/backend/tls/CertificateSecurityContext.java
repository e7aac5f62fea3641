package io.gantry.backend.tls;

import io.gantry.pki.OperatorRole;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Set;

/**
 * The JAX-RS security context of a request authenticated by its TLS client certificate: the
 * {@link OperatorRole} names an operator certificate grants, or the {@link Role} name of any other.
 */
final class CertificateSecurityContext implements SecurityContext {
    private final ClientIdentity identity;
    private final Set<OperatorRole> operatorRoles;

    CertificateSecurityContext(ClientIdentity identity, Set<OperatorRole> operatorRoles) {
        this.identity = identity;
        this.operatorRoles = Set.copyOf(operatorRoles);
    }

    @Override
    public Principal getUserPrincipal() {
        return identity;
    }

    /**
     * For an operator certificate, whether it grants the {@link OperatorRole} of that name (every
     * role grants VIEWER); for a device or factory certificate, whether {@code role} is its
     * {@link Role} name.
     */
    @Override
    public boolean isUserInRole(String role) {
        if (identity.role() != Role.OPERATOR) {
            return identity.role() != null && identity.role().name().equals(role);
        }
        for (OperatorRole r : OperatorRole.values()) {
            if (r.name().equals(role)) {
                return r.grantedBy(operatorRoles);
            }
        }
        return false;
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
