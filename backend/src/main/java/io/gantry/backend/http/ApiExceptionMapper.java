package io.gantry.backend.http;

import io.gantry.api.failure.FailureCode;
import io.gantry.backend.failure.FailureStatus;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Answers an {@link ApiException} with its status and an {@link ApiError} body. */
public final class ApiExceptionMapper implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
        Response r = errorResponse(e.code(), e.getMessage());
        if (e.retryAfter() == null) {
            return r;
        }
        // Whole seconds, rounded up (RFC 9110 10.2.3).
        return Response.fromResponse(r).header("Retry-After", Math.max(1, e.retryAfter().toSeconds() + 1)).build();
    }

    /**
     * @param code a code the server answers with
     * @param message what went wrong, in words
     * @return a JSON error response with the status {@link FailureStatus} gives {@code code}
     */
    public static Response errorResponse(FailureCode code, String message) {
        return errorResponse(FailureStatus.require(code), code, message);
    }

    /** For a status the HTTP layer chose itself (see {@link WebApplicationExceptionMapper}). */
    static Response errorResponse(int status, FailureCode code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(code.name(), message)).build();
    }
}
