package io.gantry.backend.console;

import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.http.ApiExceptionMapper;
import io.gantry.backend.tls.ClientCertificateFilter;
import io.gantry.backend.tls.RequestOrigin;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a state-changing request a browser sends on behalf of another site. A browser that
 * holds an operator certificate presents it to any page's request to this backend, so without
 * this check a foreign page could post a rollout cancel with the operator's authority (cross-site
 * request forgery). Browsers mark such requests: {@code Sec-Fetch-Site} other than
 * {@code same-origin}/{@code none}, or an {@code Origin} other than this backend's. Clients that
 * send neither header (the CLI, devices) are not affected; safe methods are never refused.
 * Refusals are 403 {@code CROSS_SITE_REQUEST}, recorded as a security event.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION + 1)
public final class CrossSiteRequestFilter implements ContainerRequestFilter {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private final SecurityEvents events;
    @Context
    private HttpServletRequest servletRequest;

    /** @param events where refusals are recorded */
    public CrossSiteRequestFilter(SecurityEvents events) {
        this.events = events;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (SAFE.contains(request.getMethod())) {
            return;
        }
        String why = crossSite(request.getHeaderString("Sec-Fetch-Site"), request.getHeaderString("Origin"),
                request.getUriInfo().getBaseUri());
        if (why == null) {
            return;
        }
        X509Certificate[] chain = (X509Certificate[]) request.getProperty(ClientCertificateFilter.CERTIFICATE_ATTRIBUTE);
        String message = "cross-site request refused: " + why;
        events.recordRepeatable(SecurityEventCode.CROSS_SITE_REQUEST, RequestOrigin.subjectOf(chain),
                servletRequest.getRemoteAddr(),
                request.getMethod() + " " + request.getUriInfo().getRequestUri().getRawPath() + ": " + message);
        request.abortWith(ApiExceptionMapper.errorResponse(SecurityEventCode.CROSS_SITE_REQUEST, message));
    }

    /** @return why the request comes from another site, or {@code null} if nothing says it does */
    static String crossSite(String fetchSite, String origin, URI base) {
        if (fetchSite != null) {
            String site = fetchSite.trim().toLowerCase(Locale.ROOT);
            if (!site.equals("same-origin") && !site.equals("none")) {
                return "Sec-Fetch-Site is " + site;
            }
        }
        if (origin != null) {
            String own = base.getScheme() + "://" + base.getRawAuthority();
            if (!origin.trim().equalsIgnoreCase(own)) {
                return "Origin " + origin + " is not " + own;
            }
        }
        return null;
    }
}
