package io.gantry.backend.tls;

import io.gantry.api.failure.FailureCode;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.http.ApiExceptionMapper;
import io.gantry.pki.OperatorRoleExtension;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
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
 *   <li>{@code /rest/...}: only {@code OU=operators}; which endpoints then, the operator roles
 *       in the certificate decide ({@code io.gantry.backend.access});</li>
 *   <li>{@code /.well-known/est/...}: as the EST {@link PathAccessRule} says (simpleenroll only
 *       {@code OU=factory}, simplereenroll only {@code OU=devices}), refused with the EST code;</li>
 *   <li>anything else: 404, so no resource outside these two trees is reachable.</li>
 * </ul>
 *
 * Refusals are 403 with an {@code ApiError} body, each recorded as a security event
 * ({@link SecurityEventCode#NO_ROLE}, {@link SecurityEventCode#WRONG_ROLE},
 * {@link SecurityEventCode#IDENTITY_MISMATCH}) naming the certificate subject and the path. Before
 * all of that, on every path, the {@link ClientCertificateCheck} runs: a revoked or unknown
 * certificate gets 403 {@code CERT_REVOKED} / {@code CERT_UNKNOWN} (also recorded). Deciding on the decoded path segments, which are
 * what resource matching uses, leaves no gap between the check and the resource that runs.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class ClientCertificateFilter implements ContainerRequestFilter {
    /** Servlet request attribute holding the verified client chain (Servlet spec, 3.10). */
    public static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    private final String tenant;
    private final SecurityEvents events;
    private final ClientCertificateCheck check;
    private final List<PathAccessRule> pathRules;
    /** Jersey's per-request proxy of the servlet request, for the client's address. */
    @Context
    private HttpServletRequest servletRequest;

    /**
     * @param tenant the tenant segment device URLs must carry
     * @param events where 403s are recorded
     * @param check revocation status of the client certificate, asked on every request
     * @param pathRules who may call the paths of other protocols (EST); any other path is 404
     */
    public ClientCertificateFilter(String tenant, SecurityEvents events, ClientCertificateCheck check,
            List<PathAccessRule> pathRules) {
        this.tenant = tenant;
        this.events = events;
        this.check = java.util.Objects.requireNonNull(check, "check");
        this.pathRules = List.copyOf(pathRules);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        X509Certificate[] chain = (X509Certificate[]) request.getProperty(CERTIFICATE_ATTRIBUTE);
        ClientIdentity identity = ClientIdentity.fromChain(chain);
        // Revocation first, on every path: a connection opened before the revocation is refused from its next request.
        ClientCertificateCheck.Refusal refusal = chain == null ? null : check.check(chain);
        if (refusal != null) {
            events.recordRepeatable(refusal.code(), RequestOrigin.subjectOf(chain), servletRequest.getRemoteAddr(),
                    request.getMethod() + " " + request.getUriInfo().getRequestUri().getRawPath() + ": " + refusal.message());
            // The connection's certificate will never be accepted again: close it, so a client that holds a
            // newer identity (a renewal superseded this one) reconnects with it instead of reusing this connection.
            request.abortWith(Response.fromResponse(ApiExceptionMapper.errorResponse(refusal.code(), refusal.message()))
                    .header("Connection", "close").build());
            return;
        }
        if (identity == null || identity.role() == null) {
            forbid(request, chain, SecurityEventCode.NO_ROLE, "client certificate grants no role");
            return;
        }
        List<PathSegment> path = request.getUriInfo().getPathSegments();
        if (path.stream().anyMatch(s -> !s.getMatrixParameters().isEmpty() || s.getPath().isEmpty())) {
            refuse(request, RequestError.NOT_FOUND, "no such resource");
            return;
        }
        if (isManagement(path)) {
            if (identity.role() != Role.OPERATOR) {
                forbid(request, chain, SecurityEventCode.WRONG_ROLE, "the management API is for operator certificates");
                return;
            }
        } else if (isDevice(path)) {
            String controllerId = path.get(3).getPath();
            if (identity.role() != Role.DEVICE) {
                forbid(request, chain, SecurityEventCode.WRONG_ROLE, "the device API is for device certificates");
                return;
            }
            if (!identity.commonName().equals(controllerId)) {
                forbid(request, chain, SecurityEventCode.IDENTITY_MISMATCH,
                        "a device certificate may only act as its own controller id");
                return;
            }
        } else if (pathRules.stream().anyMatch(r -> r.covers(path))) {
            ClientCertificateCheck.Refusal no = pathRules.stream().filter(r -> r.covers(path)).findFirst().orElseThrow()
                    .check(path, identity);
            if (no != null) {
                forbid(request, chain, no.code(), no.code(), no.message());
                return;
            }
        } else {
            refuse(request, RequestError.NOT_FOUND, "no such resource");
            return;
        }
        request.setProperty(RequestOrigin.PROPERTY, new RequestOrigin(RequestOrigin.subjectOf(chain), servletRequest.getRemoteAddr()));
        request.setSecurityContext(new CertificateSecurityContext(identity,
                identity.role() == Role.OPERATOR ? OperatorRoleExtension.read(chain[0]) : java.util.Set.of()));
    }

    private static boolean isManagement(List<PathSegment> path) {
        return !path.isEmpty() && path.get(0).getPath().equals("rest");
    }

    private boolean isDevice(List<PathSegment> path) {
        return path.size() >= 4 && path.get(0).getPath().equals(tenant) && path.get(1).getPath().equals("controller")
                && path.get(2).getPath().equals("v1");
    }

    /** Answers 403 FORBIDDEN and records {@code eventCode} with the subject, method and raw path. */
    private void forbid(ContainerRequestContext request, X509Certificate[] chain, FailureCode eventCode, String message) {
        forbid(request, chain, eventCode, RequestError.FORBIDDEN, message);
    }

    private void forbid(ContainerRequestContext request, X509Certificate[] chain, FailureCode eventCode, FailureCode answerCode,
            String message) {
        events.recordRepeatable(eventCode, RequestOrigin.subjectOf(chain), servletRequest.getRemoteAddr(),
                request.getMethod() + " " + request.getUriInfo().getRequestUri().getRawPath() + ": " + message);
        refuse(request, answerCode, message);
    }

    private static void refuse(ContainerRequestContext request, FailureCode code, String message) {
        Response r = ApiExceptionMapper.errorResponse(code, message);
        request.abortWith(r);
    }
}
