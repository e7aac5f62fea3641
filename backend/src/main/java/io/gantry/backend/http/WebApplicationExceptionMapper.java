package io.gantry.backend.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Locale;

/**
 * Turns JAX-RS's own errors (no such path, wrong method, unsupported media type) into
 * {@link ApiError} JSON, with the status's reason phrase as the code (e.g. {@code NOT_FOUND}).
 */
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        Response r = e.getResponse();
        Response.StatusType s = r.getStatusInfo();
        String code = s.getReasonPhrase() == null ? "HTTP_" + s.getStatusCode()
                : s.getReasonPhrase().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
        Response.ResponseBuilder b = Response.fromResponse(ApiExceptionMapper.errorResponse(s.getStatusCode(), code,
                s.getReasonPhrase() == null ? "request refused" : s.getReasonPhrase()));
        if (r.getHeaderString("Allow") != null) {
            b.header("Allow", r.getHeaderString("Allow"));
        }
        return b.build();
    }
}
