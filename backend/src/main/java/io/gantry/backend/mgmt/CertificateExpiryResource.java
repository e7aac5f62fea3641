package io.gantry.backend.mgmt;

import io.gantry.backend.access.RequiresRole;
import io.gantry.pki.OperatorRole;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.http.Paging;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code /rest/v1/certificate-expiry}: when the certificates issued here (and not revoked) run out,
 * counted in windows from now ({@link CertificateExpiry#WINDOWS}) with the soonest listed, for a role
 * ({@code devices} by default); and {@code /rest/v1/certificate-expiry/{commonName}}: every certificate
 * on record for one subject, newest first (a device's certificate history). An unknown or repeated
 * query parameter is 400 BAD_REQUEST, as on every management endpoint ({@link Paging}).
 */
@Singleton
@Path("rest/v1/certificate-expiry")
@Produces(MediaType.APPLICATION_JSON)
public final class CertificateExpiryResource {
    private static final CertificateExpiry EXPIRY = new CertificateExpiry();
    /** How many of the soonest expiries the summary lists. */
    public static final int SOONEST = 20;
    private final ManagementServices services;

    /** @param services shared storage and clock */
    @Inject
    public CertificateExpiryResource(ManagementServices services) {
        this.services = services;
    }

    /** The summary: counts per window and the soonest certificates. */
    public record Summary(String now, String role, List<CertificateExpiry.Window> windows,
            List<CertificateExpiry.Certificate> soonest) {
    }

    /** @return the summary for {@code role} (default {@code devices}; letters only, else 400 BAD_REQUEST) */
    @GET
    @RequiresRole(OperatorRole.VIEWER)
    public Summary summary(@Context UriInfo uri) throws SQLException {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Paging.requireOnly(q, Set.of("role"));
        String r = Paging.single(q, "role").orElse("devices");
        if (!r.matches("[a-z]{1,32}")) {
            throw ApiException.badRequest("role must be 1 to 32 lower-case letters, e.g. devices or operators");
        }
        Instant now = services.clock().instant();
        return services.database().inTransaction(c -> new Summary(now.toString(), r, EXPIRY.windows(c, r, now),
                EXPIRY.soonest(c, r, SOONEST)));
    }

    /** @return the certificates issued to {@code CN=commonName}, newest first; 404 CERTIFICATE_NOT_FOUND when none */
    @GET
    @RequiresRole(OperatorRole.VIEWER)
    @Path("{commonName}")
    public List<CertificateExpiry.Certificate> ofSubject(@PathParam("commonName") String commonName, @Context UriInfo uri)
            throws SQLException {
        Paging.requireOnly(uri.getQueryParameters(), Set.of());
        List<CertificateExpiry.Certificate> list = services.database().inTransaction(c -> EXPIRY.ofCommonName(c, commonName));
        if (list.isEmpty()) {
            throw new ApiException(RequestError.CERTIFICATE_NOT_FOUND, "no certificate issued to CN=" + commonName);
        }
        return list;
    }
}
