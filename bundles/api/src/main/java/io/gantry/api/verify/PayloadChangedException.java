package io.gantry.api.verify;

import java.io.IOException;

/**
 * Thrown at the end of a {@link VerifiedPayload#open()} stream when the staged bytes no longer
 * hash to the signed digest or size: they were changed after verification (check-then-use), and a
 * consumer must not act on what it read. Other {@link IOException}s from such a stream are plain
 * I/O failures (a missing file, a disk error), not tampering.
 *
 * @since 1.3
 */
public class PayloadChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message which payload changed */
    public PayloadChangedException(String message) {
        super(message);
    }
}
