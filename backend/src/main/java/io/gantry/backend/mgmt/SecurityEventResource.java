package io.gantry.backend.mgmt;

import io.gantry.backend.access.RequiresRole;
import io.gantry.pki.OperatorRole;
import io.gantry.backend.http.ApiException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;

/** {@code /rest/v1/security-events?limit=N}: the newest recorded rejections, newest first. */
@Singleton
@Path("rest/v1/security-events")
@Produces(MediaType.APPLICATION_JSON)
public final class SecurityEventResource {
    /** Events answered without {@code limit}. */
    public static final int DEFAULT_LIMIT = 100;
    /** Largest {@code limit} accepted. */
    public static final int MAX_LIMIT = 1000;
    private final ManagementServices services;

    /** @param services shared storage */
    @Inject
    public SecurityEventResource(ManagementServices services) {
        this.services = services;
    }

    /** @return up to {@code limit} events (default 100, 1..1000, else 400 BAD_REQUEST), newest first */
    @GET
    @RequiresRole(OperatorRole.SECURITY_OFFICER)
    public List<Views.SecurityEvent> list(@QueryParam("limit") String limit) throws SQLException {
        return services.securityEvents().newest(limit(limit)).stream().map(Views.SecurityEvent::of).toList();
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be an integer from 1 to " + MAX_LIMIT);
        }
        return n;
    }
}
