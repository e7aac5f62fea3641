package io.gantry.backend.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.backend.db.TargetRow;
import io.gantry.backend.http.ApiException;
import io.gantry.pki.SubjectNames;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Instant;

/** {@code /rest/v1/targets}: read a device and assign it a release. */
@Singleton
@Path("rest/v1/targets/{controllerId}")
@Produces(MediaType.APPLICATION_JSON)
public final class TargetResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ManagementServices services;

    /** @param services shared storage and clock */
    @Inject
    public TargetResource(ManagementServices services) {
        this.services = services;
    }

    /** @return the target and its actions, or 404 TARGET_NOT_FOUND */
    @GET
    public Views.Target get(@PathParam("controllerId") String controllerId) throws SQLException {
        return services.database().inTransaction(c -> {
            TargetRow t = services.targets().find(c, controllerId)
                    .orElseThrow(() -> ApiException.notFound("TARGET_NOT_FOUND", "no target " + controllerId));
            return Views.Target.of(t, services.actions().forTarget(c, controllerId));
        });
    }

    /** @return the attributes the device reported through configData (its own claims, not facts) */
    @GET
    @Path("attributes")
    public java.util.Map<String, String> attributes(@PathParam("controllerId") String controllerId) throws SQLException {
        return services.database().inTransaction(c -> {
            services.targets().find(c, controllerId)
                    .orElseThrow(() -> ApiException.notFound("TARGET_NOT_FOUND", "no target " + controllerId));
            return new io.gantry.backend.db.TargetAttributeRepository().list(c, controllerId);
        });
    }

    /** Assigns a release: body {@code {"releaseId":n}}; 201 {@code {"actionId":n}}, 404 RELEASE_NOT_FOUND. */
    @POST
    @Path("actions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response assign(@PathParam("controllerId") String controllerId, InputStream body) throws SQLException {
        try {
            SubjectNames.requireValidId(controllerId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        long releaseId = releaseId(body);
        Instant now = services.clock().instant();
        long actionId = services.database().inTransaction(c -> {
            if (services.releases().find(c, releaseId).isEmpty()) {
                throw ApiException.notFound("RELEASE_NOT_FOUND", "no release " + releaseId);
            }
            services.targets().ensureExists(c, controllerId, now);
            return services.actions().create(c, controllerId, releaseId, now);
        });
        return Response.status(Response.Status.CREATED).entity(new Views.Created(actionId)).build();
    }

    private static long releaseId(InputStream body) {
        try {
            JsonNode n = JSON.readTree(body.readNBytes(4096)).path("releaseId");
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() <= 0) {
                throw ApiException.badRequest("body must be {\"releaseId\": <positive integer>}");
            }
            return n.longValue();
        } catch (IOException e) {
            throw ApiException.badRequest("body must be JSON {\"releaseId\": n}");
        }
    }
}
