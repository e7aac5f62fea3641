package io.gantry.api.renewal;

import java.time.Duration;

/**
 * The EST server answered 202 Accepted: the request is pending (for example manual approval) and
 * should be repeated after {@link #retryAfter()} (RFC 7030 §4.2.3, Retry-After in seconds).
 */
public final class RetryLaterException extends RenewalException {
    private static final long serialVersionUID = 1L;
    private final Duration retryAfter;

    /** @param retryAfter the server's Retry-After delay */
    public RetryLaterException(Duration retryAfter) {
        super(RenewalErrorCode.RETRY_LATER, "EST server asks to retry after " + retryAfter.toSeconds() + " s", null);
        this.retryAfter = retryAfter;
    }

    /** @return how long the server asked the client to wait */
    public Duration retryAfter() {
        return retryAfter;
    }
}
