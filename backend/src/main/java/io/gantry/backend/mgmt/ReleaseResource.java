package io.gantry.backend.mgmt;

import io.gantry.api.release.ReleaseKind;
import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.http.Paging;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.backend.tls.RequestOrigin;
import io.gantry.pki.OperatorRole;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /rest/v1/releases}: upload (authorized under the trust root, like a device would) and read releases. */
@Singleton
@Path("rest/v1/releases")
@Produces(MediaType.APPLICATION_JSON)
public final class ReleaseResource {
    private final ManagementServices services;
    private final ReleaseIngest ingest;
    private final BackendMetrics metrics;

    /**
     * @param services shared storage, clock and trust root
     * @param metrics where refused uploads are counted
     */
    @Inject
    public ReleaseResource(ManagementServices services, BackendMetrics metrics) {
        this.services = services;
        this.metrics = metrics;
        this.ingest = new ReleaseIngest(services);
    }

    /** Uploads a release archive: 201, 409, 413 or 422 (413 and 422 are recorded as security events). */
    @POST
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @RequiresRole(OperatorRole.RELEASE_MANAGER)
    public Response upload(@HeaderParam("Content-Length") Long contentLength, InputStream body, @Context UriInfo uri,
            @Context HttpServletRequest request) throws Exception {
        ReleaseIngest.Stored stored;
        try {
            stored = ingest.ingest(contentLength, body, RequestOrigin.of(request));
        } catch (ApiException e) {
            if (e.status() == 413 || e.status() == 422) {
                metrics.releaseRejected("upload", e.code());
            }
            throw e;
        }
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(stored.release().id())).build())
                .entity(Views.Uploaded.of(stored)).build();
    }

    /**
     * @return a page of releases, oldest first, filtered by {@code name}, {@code version} and
     *     {@code kind} (e.g. {@code firmware}); the total in {@code X-Total-Count} ({@link Paging})
     */
    @RequiresRole(OperatorRole.VIEWER)
    @GET
    public Response list(@Context UriInfo uri) throws SQLException {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Paging.requireKnown(q, Set.of("name", "version", "kind"), false);
        Paging paging = Paging.of(q);
        Optional<String> name = Paging.single(q, "name");
        Optional<String> version = Paging.single(q, "version");
        Optional<ReleaseKind> kind = Paging.single(q, "kind").map(ReleaseResource::kind);
        return services.database().inTransaction(c -> Paging.answer(services.releases()
                .search(c, name, version, kind, paging.offset(), paging.size()).stream().map(Views.Release::of).toList(),
                services.releases().countMatching(c, name, version, kind)));
    }

    private static ReleaseKind kind(String text) {
        for (ReleaseKind k : ReleaseKind.values()) {
            if (k.name().equalsIgnoreCase(text)) {
                return k;
            }
        }
        throw ApiException.badRequest("kind must be one of " + java.util.Arrays.toString(ReleaseKind.values()).toLowerCase(java.util.Locale.ROOT));
    }

    /** @return one release, or 404 RELEASE_NOT_FOUND */
    @GET
    @Path("{id}")
    @RequiresRole(OperatorRole.VIEWER)
    public Views.Release get(@PathParam("id") long id) throws SQLException {
        return services.database().inTransaction(c -> services.releases().find(c, id)).map(Views.Release::of)
                .orElseThrow(() -> new ApiException(RequestError.RELEASE_NOT_FOUND, "no release " + id));
    }
}
