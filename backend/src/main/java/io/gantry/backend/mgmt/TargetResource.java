package io.gantry.backend.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.db.ActionTerms;
import io.gantry.backend.db.MaintenanceWindow;
import io.gantry.backend.db.TargetRow;
import io.gantry.backend.devices.GatewayDevices;
import io.gantry.backend.db.WithdrawnReleaseRepository;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.pki.OperatorRole;
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
import java.util.Optional;

/** {@code /rest/v1/targets}: read a device and assign it a release. */
@Singleton
@Path("rest/v1/targets/{controllerId}")
@Produces(MediaType.APPLICATION_JSON)
public final class TargetResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GatewayDevices DEVICES = new GatewayDevices();
    private static final io.gantry.backend.db.TargetDetailRepository DETAIL = new io.gantry.backend.db.TargetDetailRepository();
    private final ManagementServices services;

    /** @param services shared storage and clock */
    @Inject
    public TargetResource(ManagementServices services) {
        this.services = services;
    }

    /**
     * @return the target in detail (attributes, tags, installed releases, device certificates,
     *     actions, devices behind it), or 404 TARGET_NOT_FOUND
     */
    @GET
    @RequiresRole(OperatorRole.VIEWER)
    public Views.Target get(@PathParam("controllerId") String controllerId) throws SQLException {
        return services.database().inTransaction(c -> {
            TargetRow t = services.targets().find(c, controllerId)
                    .orElseThrow(() -> new ApiException(RequestError.TARGET_NOT_FOUND, "no target " + controllerId));
            return Views.Target.of(t, new io.gantry.backend.db.TargetAttributeRepository().list(c, controllerId),
                    DETAIL.tags(c, controllerId), DETAIL.installed(c, controllerId), DETAIL.certificates(c, controllerId),
                    services.actions().forTarget(c, controllerId), DEVICES.list(c, controllerId));
        });
    }

    /** @return the devices behind the gateway, as it reported them in its feedback (docs/devices.md) */
    @GET
    @Path("devices")
    @RequiresRole(OperatorRole.VIEWER)
    public java.util.List<Views.Device> devices(@PathParam("controllerId") String controllerId) throws SQLException {
        return services.database().inTransaction(c -> {
            services.targets().find(c, controllerId)
                    .orElseThrow(() -> new ApiException(RequestError.TARGET_NOT_FOUND, "no target " + controllerId));
            return DEVICES.list(c, controllerId).stream().map(Views.Device::of).toList();
        });
    }

    /** @return the attributes the device reported through configData (its own claims, not facts) */
    @GET
    @Path("attributes")
    @RequiresRole(OperatorRole.VIEWER)
    public java.util.Map<String, String> attributes(@PathParam("controllerId") String controllerId) throws SQLException {
        return services.database().inTransaction(c -> {
            services.targets().find(c, controllerId)
                    .orElseThrow(() -> new ApiException(RequestError.TARGET_NOT_FOUND, "no target " + controllerId));
            return new io.gantry.backend.db.TargetAttributeRepository().list(c, controllerId);
        });
    }

    /**
     * Assigns a release: body {@code {"releaseId":n}}, optionally {@code "type":"forced|soft|downloadonly"}
     * and {@code "maintenanceWindow":"HH:MM-HH:MM@Zone/Id"} (daily, device-local time); 201
     * {@code {"actionId":n}}, 400 BAD_REQUEST naming a malformed field, 404 RELEASE_NOT_FOUND.
     */
    @POST
    @Path("actions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(OperatorRole.OPERATOR)
    public Response assign(@PathParam("controllerId") String controllerId, InputStream body) throws SQLException {
        try {
            SubjectNames.requireValidId(controllerId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        JsonNode request = assignment(body);
        long releaseId = request.path("releaseId").longValue();
        ActionTerms terms = terms(request);
        Instant now = services.clock().instant();
        long actionId = services.database().inTransaction(c -> {
            if (services.releases().find(c, releaseId).isEmpty()) {
                throw new ApiException(RequestError.RELEASE_NOT_FOUND, "no release " + releaseId);
            }
            WithdrawnReleaseRepository.refuseIfWithdrawn(c, releaseId);
            services.targets().ensureExists(c, controllerId, now);
            return services.actions().create(c, controllerId, releaseId, terms, now);
        });
        return Response.status(Response.Status.CREATED).entity(new Views.Created(actionId)).build();
    }

    private static JsonNode assignment(InputStream body) {
        try {
            JsonNode n = JSON.readTree(body.readNBytes(4096));
            JsonNode id = n == null ? null : n.path("releaseId");
            if (id == null || !id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() <= 0) {
                throw ApiException.badRequest("body must be {\"releaseId\": <positive integer>, ...}");
            }
            return n;
        } catch (IOException e) {
            throw ApiException.badRequest("body must be JSON {\"releaseId\": n}");
        }
    }

    private static ActionTerms terms(JsonNode request) {
        try {
            ActionTerms.Type type = request.has("type") ? ActionTerms.Type.ofStored(request.get("type").asText())
                    : ActionTerms.Type.FORCED;
            Optional<MaintenanceWindow> window = request.has("maintenanceWindow")
                    ? Optional.of(MaintenanceWindow.parse(request.get("maintenanceWindow").asText())) : Optional.empty();
            return new ActionTerms(type, window);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
