package io.gantry.backend.tls;

import io.gantry.backend.http.ApiExceptionMapper;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The identity rule, applied before any resource is matched. TLS has already refused clients
 * without a certificate chaining to the trust anchor; this filter then decides by path:
 *
 * <ul>
 *   <li>{@code /{tenant}/controller/v1/{controllerId}/...}: only {@code OU=devices} with
 *       {@code CN == controllerId};</li>
 *   <li>{@code /rest/...}: only {@code OU=operators};</li>
 *   <li>anything else: 404, so no resource outside these two trees is reachable.</li>
 * </ul>
 *
 * Refusals are 403 with an {@code ApiError} body. Deciding on the decoded path segments, which are
 * what resource matching uses, leaves no gap between the check and the resource that runs.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class ClientCertificateFilter implements ContainerRequestFilter {
    /** Servlet request attribute holding the verified client chain (Servlet spec, 3.10). */
    public static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    private final String tenant;

    /** @param tenant the tenant segment device URLs must carry */
    public ClientCertificateFilter(String tenant) {
        this.tenant = tenant;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ClientIdentity identity = ClientIdentity.fromChain((X509Certificate[]) request.getProperty(CERTIFICATE_ATTRIBUTE));
        if (identity == null || identity.role() == null) {
            refuse(request, 403, "FORBIDDEN", "client certificate grants no role");
            return;
        }
        List<PathSegment> path = request.getUriInfo().getPathSegments();
        if (path.stream().anyMatch(s -> !s.getMatrixParameters().isEmpty() || s.getPath().isEmpty())) {
            refuse(request, 404, "NOT_FOUND", "no such resource");
            return;
        }
        if (isManagement(path)) {
            if (identity.role() != Role.OPERATOR) {
                refuse(request, 403, "FORBIDDEN", "the management API is for operator certificates");
                return;
            }
        } else if (isDevice(path)) {
            String controllerId = path.get(3).getPath();
            if (identity.role() != Role.DEVICE || !identity.commonName().equals(controllerId)) {
                refuse(request, 403, "FORBIDDEN", "a device certificate may only act as its own controller id");
                return;
            }
        } else {
            refuse(request, 404, "NOT_FOUND", "no such resource");
            return;
        }
        request.setSecurityContext(new CertificateSecurityContext(identity));
    }

    private static boolean isManagement(List<PathSegment> path) {
        return !path.isEmpty() && path.get(0).getPath().equals("rest");
    }

    private boolean isDevice(List<PathSegment> path) {
        return path.size() >= 4 && path.get(0).getPath().equals(tenant) && path.get(1).getPath().equals("controller")
                && path.get(2).getPath().equals("v1");
    }

    private static void refuse(ContainerRequestContext request, int status, String code, String message) {
        Response r = ApiExceptionMapper.errorResponse(status, code, message);
        request.abortWith(r);
    }
}
