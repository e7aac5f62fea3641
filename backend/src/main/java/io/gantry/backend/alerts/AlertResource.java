package io.gantry.backend.alerts;

import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.http.Paging;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import io.gantry.pki.OperatorRole;

/**
 * {@code /rest/v1/alerts}: list fleet alerts ({@code ?state=OPEN&kind=DEVICE_SILENT&page=0&size=50},
 * newest first, paged like every management list: {@link Paging}, the total in
 * {@value Paging#TOTAL_HEADER}) and acknowledge one ({@code POST /rest/v1/alerts/{id}/acknowledge}).
 * Errors: 400 BAD_REQUEST naming the parameter (unknown, repeated or bad), 404 ALERT_NOT_FOUND,
 * 409 ALERT_RESOLVED.
 */
@Singleton
@Path("rest/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public final class AlertResource {
    private static final Set<String> FILTERS = Set.of("state", "kind");
    private final AlertBook book;

    /** @param book the alerts */
    @Inject
    public AlertResource(AlertBook book) {
        this.book = book;
    }

    /** One alert as JSON; instants are ISO-8601 strings, absent ones null. */
    public record View(long id, String kind, String subjectType, String subject, String severity, String state, String message,
            String firstSeen, String lastSeen, long count, String acknowledgedBy, String acknowledgedAt, String resolvedAt) {
        static View of(FleetAlert a) {
            return new View(a.id(), a.kind().name(), a.subjectType().name(), a.subject(), a.severity().name(), a.state().name(),
                    a.message(), a.firstSeen().toString(), a.lastSeen().toString(), a.count(), a.acknowledgedBy(),
                    a.acknowledgedAt() == null ? null : a.acknowledgedAt().toString(),
                    a.resolvedAt() == null ? null : a.resolvedAt().toString());
        }
    }

    /** @return a page of alerts matching the filters, newest first, the total in {@value Paging#TOTAL_HEADER} */
    @GET
    @RequiresRole(OperatorRole.VIEWER)
    public Response list(@Context UriInfo uri) throws SQLException {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        Paging.requireKnown(q, FILTERS, false);
        Paging paging = Paging.of(q);
        AlertState s = Paging.single(q, "state").map(t -> parse(AlertState.class, "state", t)).orElse(null);
        AlertKind k = Paging.single(q, "kind").map(t -> parse(AlertKind.class, "kind", t)).orElse(null);
        AlertBook.Page page = book.list(s, k, paging.offset(), paging.size());
        return Paging.answer(page.alerts().stream().map(View::of).toList(), page.total());
    }

    /** @return the alert */
    @GET
    @Path("{id:[0-9]+}")
    @RequiresRole(OperatorRole.VIEWER)
    public View get(@PathParam("id") long id) throws SQLException {
        return View.of(book.find(id).orElseThrow(() -> notFound(id)));
    }

    /** @return the acknowledged alert (unchanged if it was acknowledged already) */
    @POST
    @Path("{id:[0-9]+}/acknowledge")
    @RequiresRole(OperatorRole.OPERATOR)
    public View acknowledge(@PathParam("id") long id, @Context SecurityContext caller) throws SQLException {
        String operator = caller.getUserPrincipal() == null ? "unknown" : caller.getUserPrincipal().getName();
        try {
            return View.of(book.acknowledge(id, operator).orElseThrow(() -> notFound(id)));
        } catch (IllegalStateException e) {
            throw new ApiException(RequestError.ALERT_RESOLVED, e.getMessage());
        }
    }

    private static ApiException notFound(long id) {
        return new ApiException(RequestError.ALERT_NOT_FOUND, "no alert " + id);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String name, String text) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
