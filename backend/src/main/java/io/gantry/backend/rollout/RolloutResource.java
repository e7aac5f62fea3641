package io.gantry.backend.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.http.Paging;
import io.gantry.pki.OperatorRole;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /rest/v1/rollouts}: create (201), list, show with per-group progress, pause, resume,
 * cancel and dry run (docs/rollouts.md). Errors: 400 BAD_REQUEST naming the field, 404
 * RELEASE_NOT_FOUND or ROLLOUT_NOT_FOUND, 409 ROLLOUT_STATE_CONFLICT.
 */
@Singleton
@Path("rest/v1/rollouts")
@Produces(MediaType.APPLICATION_JSON)
public final class RolloutResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 64 * 1024;
    private final Rollouts rollouts;

    /** @param rollouts the operations */
    @Inject
    public RolloutResource(Rollouts rollouts) {
        this.rollouts = rollouts;
    }

    /** @return 201 with the CREATED rollout */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(OperatorRole.OPERATOR)
    public Response create(InputStream body) throws SQLException {
        return Response.status(Response.Status.CREATED).entity(rollouts.create(spec(body))).build();
    }

    /**
     * @return a page of rollouts, oldest first, filtered by {@code state} and {@code releaseId};
     *     the total in {@code X-Total-Count} ({@link Paging})
     */
    @RequiresRole(OperatorRole.VIEWER)
    @GET
    public Response list(@Context UriInfo uri) throws SQLException {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Paging.requireKnown(q, Set.of("state", "releaseId"), false);
        Paging paging = Paging.of(q);
        Optional<RolloutState> state = Paging.single(q, "state").map(RolloutResource::state);
        Rollouts.Page page = rollouts.list(state, Paging.number(q, "releaseId"), paging);
        return Paging.answer(page.items(), page.total());
    }

    private static RolloutState state(String text) {
        for (RolloutState s : RolloutState.values()) {
            if (s.name().equalsIgnoreCase(text)) {
                return s;
            }
        }
        throw ApiException.badRequest("state must be one of " + java.util.Arrays.toString(RolloutState.values()));
    }

    /** @return who the body's rollout would target now, by group, and who would be held; stores nothing */
    @POST
    @Path("dry-run")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(OperatorRole.OPERATOR)
    public RolloutView.DryRun dryRun(InputStream body) throws SQLException {
        return rollouts.dryRun(spec(body));
    }

    /** @return the rollout with per-group progress */
    @GET
    @Path("{id:[0-9]+}")
    @RequiresRole(OperatorRole.VIEWER)
    public RolloutView get(@PathParam("id") long id) throws SQLException {
        return rollouts.get(id);
    }

    /** @return the paused rollout */
    @POST
    @Path("{id:[0-9]+}/pause")
    @RequiresRole(OperatorRole.OPERATOR)
    public RolloutView pause(@PathParam("id") long id) throws SQLException {
        return rollouts.pause(id);
    }

    /** @return the running rollout */
    @POST
    @Path("{id:[0-9]+}/resume")
    @RequiresRole(OperatorRole.OPERATOR)
    public RolloutView resume(@PathParam("id") long id) throws SQLException {
        return rollouts.resume(id);
    }

    /** @return the cancelled rollout; its open actions are being cancelled */
    @POST
    @Path("{id:[0-9]+}/cancel")
    @RequiresRole(OperatorRole.OPERATOR)
    public RolloutView cancel(@PathParam("id") long id) throws SQLException {
        return rollouts.cancel(id);
    }

    private static RolloutSpec spec(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw ApiException.badRequest("rollout body larger than " + MAX_BODY + " bytes");
            }
            return RolloutSpecJson.parse(JSON.readTree(bytes));
        } catch (IOException e) {
            throw ApiException.badRequest("body must be a JSON rollout (docs/rollouts.md)");
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
