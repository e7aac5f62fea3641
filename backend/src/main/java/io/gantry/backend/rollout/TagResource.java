package io.gantry.backend.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.db.Database;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.pki.OperatorRole;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code /rest/v1/targets/{id}/tags}: the operator's labels on a target, which rollout filters
 * select on. POST {@code {"add":["a"],"remove":["b"]}} answers the tags after the change; 404
 * TARGET_NOT_FOUND; 400 BAD_REQUEST for a tag outside {@code [A-Za-z0-9._:-]{1,64}}.
 */
@Singleton
@Path("rest/v1/targets/{controllerId}/tags")
@Produces(MediaType.APPLICATION_JSON)
public final class TagResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private final Database database;
    private final TagRepository tags = new TagRepository();

    /** @param services storage */
    @Inject
    public TagResource(RolloutServices services) {
        this.database = services.database();
    }

    /** @return the target's tags */
    @GET
    @RequiresRole(OperatorRole.VIEWER)
    public Set<String> get(@PathParam("controllerId") String controllerId) throws SQLException {
        return database.inTransaction(c -> {
            requireTarget(c, controllerId);
            return tags.tags(c, controllerId);
        });
    }

    /** @return the target's tags after adding and removing */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(OperatorRole.OPERATOR)
    public Set<String> change(@PathParam("controllerId") String controllerId, InputStream body) throws SQLException {
        JsonNode n;
        try {
            n = JSON.readTree(body.readNBytes(16 * 1024));
        } catch (IOException e) {
            throw ApiException.badRequest("body must be JSON {\"add\":[...],\"remove\":[...]}");
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("body must be JSON {\"add\":[...],\"remove\":[...]}");
        }
        Set<String> add = list(n.path("add"));
        Set<String> remove = list(n.path("remove"));
        return database.inTransaction(c -> {
            requireTarget(c, controllerId);
            tags.add(c, controllerId, add);
            tags.remove(c, controllerId, remove);
            return tags.tags(c, controllerId);
        });
    }

    private void requireTarget(java.sql.Connection c, String controllerId) throws SQLException {
        if (!tags.targetExists(c, controllerId)) {
            throw new ApiException(RequestError.TARGET_NOT_FOUND, "no target " + controllerId);
        }
    }

    private static Set<String> list(JsonNode n) {
        Set<String> out = new TreeSet<>();
        if (n.isMissingNode()) {
            return out;
        }
        if (!n.isArray()) {
            throw ApiException.badRequest("add and remove must be arrays of tags");
        }
        for (JsonNode t : n) {
            if (!t.isTextual() || !TAG.matcher(t.asText()).matches()) {
                throw ApiException.badRequest("a tag must match [A-Za-z0-9._:-]{1,64}: " + t);
            }
            out.add(t.asText());
        }
        return out;
    }
}
