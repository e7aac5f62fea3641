package io.gantry.backend.mgmt;

import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.http.Paging;
import io.gantry.pki.OperatorRole;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /rest/v1/security-events}: the audit trail of recorded rejections and revocations,
 * newest first, for security officers. Filters: {@code code}, {@code subject} (the exact DN),
 * {@code since} (inclusive) and {@code until} (exclusive) as ISO-8601 instants; paged by
 * {@code page}/{@code size} like every management list ({@link Paging}).
 */
@Singleton
@Path("rest/v1/security-events")
@Produces(MediaType.APPLICATION_JSON)
public final class SecurityEventResource {
    private static final SecurityEventRepository EVENTS = new SecurityEventRepository();
    private final ManagementServices services;

    /** @param services shared storage */
    @Inject
    public SecurityEventResource(ManagementServices services) {
        this.services = services;
    }

    /** @return a page of events, newest first, the total in {@code X-Total-Count}; 400 BAD_REQUEST naming a bad parameter */
    @RequiresRole(OperatorRole.SECURITY_OFFICER)
    @GET
    public Response list(@Context UriInfo uri) throws SQLException {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Paging.requireKnown(q, Set.of("code", "subject", "since", "until"), false);
        Paging paging = Paging.of(q);
        Optional<String> code = Paging.single(q, "code");
        Optional<String> subject = Paging.single(q, "subject");
        Optional<Instant> since = Paging.instant(q, "since");
        Optional<Instant> until = Paging.instant(q, "until");
        return services.database().inTransaction(c -> Paging.answer(
                EVENTS.search(c, code, subject, since, until, paging.offset(), paging.size()).stream()
                        .map(Views.SecurityEvent::of).toList(),
                EVENTS.countMatching(c, code, subject, since, until)));
    }
}
