package io.gantry.backend.access;

import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.http.ApiExceptionMapper;
import io.gantry.backend.tls.ClientCertificateFilter;
import io.gantry.backend.tls.RequestOrigin;
import io.gantry.pki.OperatorRole;
import io.gantry.pki.OperatorRoleExtension;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.security.cert.X509Certificate;
import java.util.Set;

/**
 * Admits a request only if the verified client certificate grants {@code required}; otherwise
 * answers 403 {@code ROLE_REQUIRED} naming the role and records the refusal as a security event.
 * A request without a verified chain (which the identity filter never lets through) is refused too.
 */
final class RoleCheckFilter implements ContainerRequestFilter {
    private final OperatorRole required;
    private final SecurityEvents events;

    RoleCheckFilter(OperatorRole required, SecurityEvents events) {
        this.required = required;
        this.events = events;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        X509Certificate[] chain = (X509Certificate[]) request.getProperty(ClientCertificateFilter.CERTIFICATE_ATTRIBUTE);
        Set<OperatorRole> held = chain == null || chain.length == 0 ? Set.of() : OperatorRoleExtension.read(chain[0]);
        if (required.grantedBy(held)) {
            return;
        }
        String message = "this endpoint requires the operator role " + required.name() + "; the certificate grants "
                + (held.isEmpty() ? "none" : String.join(", ", OperatorRoleExtension.names(held)));
        refuse(request, events, SecurityEventCode.ROLE_REQUIRED, message);
    }

    /** Records {@code code} with the caller's subject, address, method and path, and answers 403 with it. */
    static void refuse(ContainerRequestContext request, SecurityEvents events, SecurityEventCode code, String message) {
        RequestOrigin origin = request.getProperty(RequestOrigin.PROPERTY) instanceof RequestOrigin o ? o
                : new RequestOrigin(null, null);
        events.recordRepeatable(code, origin.subject(), origin.remoteAddress(),
                request.getMethod() + " " + request.getUriInfo().getRequestUri().getRawPath() + ": " + message);
        request.abortWith(ApiExceptionMapper.errorResponse(code, message));
    }
}
