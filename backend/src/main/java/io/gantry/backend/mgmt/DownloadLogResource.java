package io.gantry.backend.mgmt;

import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.db.DownloadLogRepository;
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
 * {@code /rest/v1/download-log}: the hash-chained log of artifact downloads, queried newest first
 * by {@code controllerId}, {@code releaseId}, {@code since} (inclusive) and {@code until}
 * (exclusive), paged ({@link Paging}); {@code /verification} recomputes the chain now.
 */
@Singleton
@Path("rest/v1/download-log")
@Produces(MediaType.APPLICATION_JSON)
public final class DownloadLogResource {
    private static final DownloadLogRepository LOG = new DownloadLogRepository();
    private final ManagementServices services;

    /** @param services shared storage */
    @Inject
    public DownloadLogResource(ManagementServices services) {
        this.services = services;
    }

    /** The result of a chain check. */
    public record Verification(long entries, boolean intact, Long firstBroken, String reason) {
    }

    /** @return a page of entries, newest first, the total in {@code X-Total-Count}; 400 BAD_REQUEST naming a bad parameter */
    @RequiresRole(OperatorRole.VIEWER)
    @GET
    public Response search(@Context UriInfo uri) throws SQLException {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Paging.requireKnown(q, Set.of("controllerId", "releaseId", "since", "until"), false);
        Paging paging = Paging.of(q);
        Optional<String> controllerId = Paging.single(q, "controllerId");
        Optional<Long> releaseId = Paging.number(q, "releaseId");
        Optional<Instant> since = Paging.instant(q, "since");
        Optional<Instant> until = Paging.instant(q, "until");
        return services.database().inTransaction(c -> Paging.answer(
                LOG.search(c, controllerId, releaseId, since, until, paging.offset(), paging.size()).stream()
                        .map(Views.Download::of).toList(),
                LOG.countMatching(c, controllerId, releaseId, since, until)));
    }

    /** @return whether every link holds, and if not the first entry that does not fit */
    @RequiresRole(OperatorRole.VIEWER)
    @GET
    @Path("verification")
    public Verification verify() throws SQLException {
        DownloadLogRepository.Verification v = services.database().inTransaction(LOG::verify);
        return new Verification(v.entries(), v.intact(), v.intact() ? null : v.firstBroken().getAsLong(), v.reason());
    }
}
