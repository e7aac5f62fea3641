package io.gantry.backend.mgmt;

import io.gantry.backend.db.ActionRow;
import io.gantry.backend.http.ApiException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;

/** {@code /rest/v1/actions/{id}}: an action with its feedback history. */
@Singleton
@Path("rest/v1/actions/{id}")
@Produces(MediaType.APPLICATION_JSON)
public final class ActionResource {
    private final ManagementServices services;

    /** @param services shared storage */
    @Inject
    public ActionResource(ManagementServices services) {
        this.services = services;
    }

    /** @return the action, or 404 ACTION_NOT_FOUND */
    @GET
    public Views.Action get(@PathParam("id") long id) throws SQLException {
        return services.database().inTransaction(c -> {
            ActionRow a = services.actions().find(c, id)
                    .orElseThrow(() -> ApiException.notFound("ACTION_NOT_FOUND", "no action " + id));
            return Views.Action.of(a, services.actions().history(c, id));
        });
    }
}
