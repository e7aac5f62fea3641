package io.gantry.api.verify;

import java.time.Instant;

/** Signed metadata (a release or a trust root) whose expiry lies before the trusted time. */
public final class ExpiredException extends ReleaseRejectedException {
    private static final long serialVersionUID = 1L;
    private final Instant expires;
    private final Instant now;

    /**
     * @param what which metadata expired
     * @param expires its expiry
     * @param now the trusted time it was compared with
     */
    public ExpiredException(String what, Instant expires, Instant now) {
        super(RejectionCode.EXPIRED, what + " expired at " + expires + " (trusted time " + now + ")");
        this.expires = expires;
        this.now = now;
    }

    /** @return the expiry */
    public Instant expires() {
        return expires;
    }

    /** @return the trusted time */
    public Instant now() {
        return now;
    }
}
