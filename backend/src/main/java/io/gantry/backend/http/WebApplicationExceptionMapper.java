package io.gantry.backend.http;

import io.gantry.backend.failure.FailureStatus;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/**
 * Turns JAX-RS's own errors (no such path, wrong method, unsupported media type) into
 * {@link ApiError} JSON: the status stays JAX-RS's, the code is the generic one for that status
 * ({@link FailureStatus#genericFor}, e.g. {@code NOT_FOUND}).
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        Response r = e.getResponse();
        Response.StatusType s = r.getStatusInfo();
        Response.ResponseBuilder b = Response.fromResponse(ApiExceptionMapper.errorResponse(s.getStatusCode(),
                FailureStatus.genericFor(s.getStatusCode()), s.getReasonPhrase() == null ? "request refused" : s.getReasonPhrase()));
        if (r.getHeaderString("Allow") != null) {
            b.header("Allow", r.getHeaderString("Allow"));
        }
        return b.build();
    }
}
