package io.gantry.agent.internal;

import java.io.IOException;

/** A download stalled or ran past its deadline; the agent reports it as SLOW_RETRIEVAL. */
final class SlowRetrievalException extends IOException {
    private static final long serialVersionUID = 1L;

    SlowRetrievalException(String message) {
        super(message);
    }
}
