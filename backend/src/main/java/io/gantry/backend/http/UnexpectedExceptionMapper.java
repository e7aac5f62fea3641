package io.gantry.backend.http;

import io.gantry.backend.failure.RequestError;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last resort: logs the failure with an incident id and answers 500 {@code INTERNAL_ERROR} naming
 * only that id, so no stack trace or internal detail reaches a client.
 */
public final class UnexpectedExceptionMapper implements ExceptionMapper<Exception> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Exception e) {
        String incident = UUID.randomUUID().toString();
        LOG.error("unexpected failure, incident {}", incident, e);
        return ApiExceptionMapper.errorResponse(RequestError.INTERNAL_ERROR, "internal error, incident " + incident);
    }
}
