package io.gantry.backend.http;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Paging and query-parameter checks shared by the management list endpoints: {@code page}
 * (0-based, default 0) and {@code size} (1..{@value #MAX_SIZE}, default {@value #DEFAULT_SIZE}); the
 * body is the page as a JSON array, the total number of matches is the {@value #TOTAL_HEADER}
 * header. Unknown or repeated parameters are refused (400 BAD_REQUEST), so a misspelt filter
 * cannot silently widen a result.
 *
 * @param page the page number, from 0
 * @param size the page size
 */
public record Paging(int page, int size) {
    /** Page size without {@code size}. */
    public static final int DEFAULT_SIZE = 50;
    /** Largest page size accepted. */
    public static final int MAX_SIZE = 500;
    /** Response header carrying the number of matches over all pages. */
    public static final String TOTAL_HEADER = "X-Total-Count";
    /** Highest page number accepted (keeps offsets far from overflow). */
    private static final int MAX_PAGE = 1_000_000;

    /** @return the paging the query asks for, or 400 BAD_REQUEST */
    public static Paging of(MultivaluedMap<String, String> query) {
        int page = integer(query, "page", 0, 0, MAX_PAGE);
        int size = integer(query, "size", DEFAULT_SIZE, 1, MAX_SIZE);
        return new Paging(page, size);
    }

    /** @return rows to skip */
    public long offset() {
        return (long) page * size;
    }

    /** @return 200 with {@code items} as the body and {@code total} in {@value #TOTAL_HEADER} */
    public static Response answer(List<?> items, long total) {
        return Response.ok(items).header(TOTAL_HEADER, total).build();
    }

    /** Refuses any parameter outside {@code allowed} (plus page and size) and {@code attribute.*} when {@code attributes}. */
    public static void requireKnown(MultivaluedMap<String, String> query, Set<String> allowed, boolean attributes) {
        for (String k : query.keySet()) {
            boolean known = allowed.contains(k) || k.equals("page") || k.equals("size")
                    || attributes && k.startsWith("attribute.") && k.length() > "attribute.".length();
            if (!known) {
                throw ApiException.badRequest("unknown query parameter " + k + "; known: page, size, " + String.join(", ", allowed)
                        + (attributes ? ", attribute.<name>" : ""));
            }
        }
    }

    /**
     * Refuses any parameter outside {@code allowed}, for an endpoint that answers one object or an
     * unpaged list (so {@code page} and {@code size} are unknown there too).
     */
    public static void requireOnly(MultivaluedMap<String, String> query, Set<String> allowed) {
        for (String k : query.keySet()) {
            if (!allowed.contains(k)) {
                throw ApiException.badRequest("unknown query parameter " + k + "; known: "
                        + (allowed.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(allowed))));
            }
        }
    }

    /** @return the single value of {@code name}, or 400 if it is given twice or empty */
    public static Optional<String> single(MultivaluedMap<String, String> query, String name) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        if (v.size() > 1 || v.get(0).isEmpty() || v.get(0).length() > 1024) {
            throw ApiException.badRequest(name + " must be given once, 1 to 1024 characters");
        }
        return Optional.of(v.get(0));
    }

    /** @return the ISO-8601 instant {@code name}, or 400 naming it */
    public static Optional<Instant> instant(MultivaluedMap<String, String> query, String name) {
        try {
            return single(query, name).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    /** @return the long {@code name}, or 400 naming it */
    public static Optional<Long> number(MultivaluedMap<String, String> query, String name) {
        try {
            return single(query, name).map(Long::parseLong);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
    }

    private static int integer(MultivaluedMap<String, String> query, String name, int absent, int min, int max) {
        Optional<String> text = single(query, name);
        if (text.isEmpty()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(text.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name + " must be an integer from " + min + " to " + max);
    }
}
