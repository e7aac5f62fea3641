package io.gantry.backend.mgmt;

import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.db.ActionRow;
import io.gantry.backend.db.ActionStatus;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.pki.OperatorRole;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Instant;

/** {@code /rest/v1/actions/{id}}: an action with its feedback history, and its cancellation. */
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
    @RequiresRole(OperatorRole.VIEWER)
    public Views.Action get(@PathParam("id") long id) throws SQLException {
        return services.database().inTransaction(c -> {
            ActionRow a = services.actions().find(c, id)
                    .orElseThrow(() -> new ApiException(RequestError.ACTION_NOT_FOUND, "no action " + id));
            return Views.Action.of(a, services.actions().history(c, id));
        });
    }

    /**
     * Cancels an open action: it becomes CANCELING and the device is offered {@code cancelAction}
     * at its next poll; repeating the request changes nothing.
     *
     * @return the action; 404 ACTION_NOT_FOUND; 409 ACTION_NOT_CANCELABLE once it is finished, failed or cancelled
     */
    @POST
    @Path("cancel")
    @RequiresRole(OperatorRole.OPERATOR)
    public Views.Action cancel(@PathParam("id") long id) throws SQLException {
        Instant now = services.clock().instant();
        return services.database().inTransaction(c -> {
            ActionRow a = services.actions().findForUpdate(c, id)
                    .orElseThrow(() -> new ApiException(RequestError.ACTION_NOT_FOUND, "no action " + id));
            if (!a.status().isOpen()) {
                throw new ApiException(RequestError.ACTION_NOT_CANCELABLE, "action " + id + " is already " + a.status());
            }
            if (a.status() != ActionStatus.CANCELING) {
                services.actions().transition(c, id, a.status(), ActionStatus.CANCELING, now);
            }
            return Views.Action.of(services.actions().find(c, id).orElseThrow(), services.actions().history(c, id));
        });
    }
}
