package io.gantry.backend.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Answers an {@link ApiException} with its status and an {@link ApiError} body. */
public final class ApiExceptionMapper implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
        return errorResponse(e.status(), e.code(), e.getMessage());
    }

    /** @return a JSON error response */
    public static Response errorResponse(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(code, message)).build();
    }
}
