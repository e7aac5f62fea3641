package io.gantry.backend.mgmt;

import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.backend.tls.RequestOrigin;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;

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

    /** @return every release, oldest first */
    @GET
    public List<Views.Release> list() throws SQLException {
        return services.database().inTransaction(c -> services.releases().list(c)).stream().map(Views.Release::of).toList();
    }

    /** @return one release, or 404 RELEASE_NOT_FOUND */
    @GET
    @Path("{id}")
    public Views.Release get(@PathParam("id") long id) throws SQLException {
        return services.database().inTransaction(c -> services.releases().find(c, id)).map(Views.Release::of)
                .orElseThrow(() -> new ApiException(RequestError.RELEASE_NOT_FOUND, "no release " + id));
    }
}
