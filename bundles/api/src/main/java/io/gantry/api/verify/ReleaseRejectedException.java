package io.gantry.api.verify;

import java.util.Objects;

/**
 * A release was refused. Every subclass names one failure mode and carries its evidence; the
 * {@link #code()} is stable and safe to report upstream. A rejection never changes trusted state.
 */
public class ReleaseRejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final RejectionCode code;

    /**
     * @param code the stable reason code
     * @param message what was wrong, in words
     */
    public ReleaseRejectedException(RejectionCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code);
    }

    /** @return the stable reason code */
    public RejectionCode code() {
        return code;
    }
}
