package io.gantry.api.agent;

import io.gantry.api.failure.FailureCode;
import java.util.Objects;

/**
 * A release was not applied; nothing was activated. The code is the agent's own
 * ({@link UpdateFailureCode}) or the one it passes on: a verifier {@code RejectionCode}, an
 * {@code InstallFailureCode} or a {@code DeviceFailureCode}.
 */
public final class UpdateFailedException extends Exception {
    private static final long serialVersionUID = 2L;
    private final FailureCode code;

    /**
     * @param code the stable code
     * @param message what went wrong
     * @param cause the underlying failure, or null
     */
    public UpdateFailedException(FailureCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code);
    }

    /** @return the stable code */
    public FailureCode code() {
        return code;
    }
}
