package io.gantry.backend.http;

import jakarta.ws.rs.core.Response;
import java.util.Objects;

/** An error answered as {@link ApiError} JSON with the given HTTP status; mapped by {@link ApiExceptionMapper}. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    /**
     * @param status the HTTP status
     * @param code the stable error code
     * @param message what went wrong, in words
     */
    public ApiException(Response.Status status, String code, String message) {
        this(status.getStatusCode(), code, message);
    }

    /** Variant for statuses {@link Response.Status} lacks (e.g. 422). */
    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the stable error code */
    public String code() {
        return code;
    }

    /** @return 404 with {@code code} */
    public static ApiException notFound(String code, String message) {
        return new ApiException(Response.Status.NOT_FOUND, code, message);
    }

    /** @return 403 FORBIDDEN */
    public static ApiException forbidden(String message) {
        return new ApiException(Response.Status.FORBIDDEN, "FORBIDDEN", message);
    }

    /** @return 400 BAD_REQUEST */
    public static ApiException badRequest(String message) {
        return new ApiException(Response.Status.BAD_REQUEST, "BAD_REQUEST", message);
    }
}
