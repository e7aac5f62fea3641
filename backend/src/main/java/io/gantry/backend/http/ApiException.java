package io.gantry.backend.http;

import io.gantry.api.failure.FailureCode;
import io.gantry.backend.failure.FailureStatus;
import io.gantry.backend.failure.RequestError;
import java.time.Duration;
import java.util.Objects;

/**
 * An error answered as {@link ApiError} JSON, with the HTTP status {@link FailureStatus} gives its
 * code; mapped by {@link ApiExceptionMapper}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 2L;
    private final FailureCode code;
    private final transient Duration retryAfter;

    /**
     * @param code the stable error code; one the server answers with ({@link FailureStatus#of})
     * @param message what went wrong, in words
     * @throws IllegalArgumentException if {@code code} has no HTTP status
     */
    public ApiException(FailureCode code, String message) {
        this(code, message, null);
    }

    /**
     * As {@link #ApiException(FailureCode, String)}, answered with a {@code Retry-After} header.
     *
     * @param retryAfter when the client may try again, {@code null} for no header
     */
    public ApiException(FailureCode code, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code);
        FailureStatus.require(code);
        this.retryAfter = retryAfter;
    }

    /** @return when the client may try again, or {@code null} */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** @return the HTTP status, from {@link FailureStatus} */
    public int status() {
        return FailureStatus.require(code);
    }

    /** @return the stable error code */
    public FailureCode code() {
        return code;
    }

    /** @return 403 FORBIDDEN */
    public static ApiException forbidden(String message) {
        return new ApiException(RequestError.FORBIDDEN, message);
    }

    /** @return 400 BAD_REQUEST */
    public static ApiException badRequest(String message) {
        return new ApiException(RequestError.BAD_REQUEST, message);
    }
}
