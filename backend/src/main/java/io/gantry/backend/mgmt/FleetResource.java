package io.gantry.backend.mgmt;

import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.db.FleetCriteria;
import io.gantry.backend.db.FleetRepository;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /rest/v1/targets}: fleet search, paged ({@link Paging}), ordered by controller id.
 * Filters (all must hold): {@code deviceType}, {@code attribute.<name>=<value>} (repeatable over
 * names), {@code tag} (repeatable: all), {@code release} and {@code version} (installed now),
 * {@code lastSeenBefore}, {@code lastSeenAfter}, {@code certExpiresBefore} (ISO-8601 instants).
 */
@Singleton
@Path("rest/v1/targets")
@Produces(MediaType.APPLICATION_JSON)
public final class FleetResource {
    private static final FleetRepository FLEET = new FleetRepository();
    private static final Set<String> FILTERS = Set.of("deviceType", "tag", "release", "version", "lastSeenBefore",
            "lastSeenAfter", "certExpiresBefore");
    private final ManagementServices services;

    /** @param services shared storage */
    @Inject
    public FleetResource(ManagementServices services) {
        this.services = services;
    }

    /** @return one page of matching targets, the total in {@code X-Total-Count}; 400 BAD_REQUEST naming a bad parameter */
    @GET
    @RequiresRole(OperatorRole.VIEWER)
    public Response search(@Context UriInfo uri) throws SQLException {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Paging.requireKnown(q, FILTERS, true);
        Paging paging = Paging.of(q);
        FleetCriteria criteria = criteria(q);
        // Poll times this node noted but has not written yet (TargetRepository) count for lastSeen filters and order.
        services.targets().flushLastSeen(services.database());
        return services.database().inTransaction(c -> {
            long total = FLEET.count(c, criteria);
            List<Views.FleetEntry> items = FLEET.page(c, criteria, paging.offset(), paging.size()).stream()
                    .map(Views.FleetEntry::of).toList();
            return Paging.answer(items, total);
        });
    }

    static FleetCriteria criteria(MultivaluedMap<String, String> q) {
        Map<String, String> attributes = new TreeMap<>();
        for (String k : q.keySet()) {
            if (k.startsWith("attribute.")) {
                attributes.put(k.substring("attribute.".length()), Paging.single(q, k).orElseThrow());
            }
        }
        Set<String> tags = new TreeSet<>(q.getOrDefault("tag", List.of()));
        if (tags.size() > 16) {
            throw io.gantry.backend.http.ApiException.badRequest("at most 16 tag conditions");
        }
        if (attributes.size() > 16) {
            throw io.gantry.backend.http.ApiException.badRequest("at most 16 attribute conditions");
        }
        return new FleetCriteria(Paging.single(q, "deviceType"), attributes, tags, Paging.single(q, "release"),
                Paging.single(q, "version"), Paging.instant(q, "lastSeenBefore"), Paging.instant(q, "lastSeenAfter"),
                Paging.instant(q, "certExpiresBefore"));
    }
}
