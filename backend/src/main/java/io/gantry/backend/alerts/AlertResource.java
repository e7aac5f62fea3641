package io.gantry.backend.alerts;

import io.gantry.backend.access.RequiresRole;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import io.gantry.pki.OperatorRole;

/**
 * {@code /rest/v1/alerts}: list fleet alerts ({@code ?state=OPEN&kind=DEVICE_SILENT&offset=0&limit=50},
 * newest first) and acknowledge one ({@code POST /rest/v1/alerts/{id}/acknowledge}). Like every
 * {@code /rest} path it needs an operator certificate; docs/operations.md names the role
 * acknowledging is meant to need once roles are finer. Errors: 400 BAD_REQUEST naming the
 * parameter, 404 ALERT_NOT_FOUND, 409 ALERT_RESOLVED.
 */
@Singleton
@Path("rest/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
public final class AlertResource {
    /** Alerts per page without {@code limit}. */
    public static final int DEFAULT_LIMIT = 50;
    /** Largest {@code limit}. */
    public static final int MAX_LIMIT = 500;
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

    /** A page of alerts and how many match in all. */
    public record Listing(long total, int offset, int limit, List<View> alerts) {
    }

    /** @return alerts matching the filters, newest first */
    @GET
    @RequiresRole(OperatorRole.VIEWER)
    public Listing list(@QueryParam("state") String state, @QueryParam("kind") String kind, @QueryParam("offset") String offset,
            @QueryParam("limit") String limit) throws SQLException {
        AlertState s = state == null ? null : parse(AlertState.class, "state", state);
        AlertKind k = kind == null ? null : parse(AlertKind.class, "kind", kind);
        int off = number("offset", offset, 0, 0, Integer.MAX_VALUE);
        int lim = number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        AlertBook.Page page = book.list(s, k, off, lim);
        return new Listing(page.total(), off, lim, page.alerts().stream().map(View::of).toList());
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

    private static int number(String name, String text, int dflt, int min, int max) {
        if (text == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name + " must be an integer from " + min + " to " + max);
    }
}
