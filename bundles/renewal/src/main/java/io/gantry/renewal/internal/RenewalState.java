package io.gantry.renewal.internal;

import io.gantry.api.renewal.RenewalPhase;
import java.time.Instant;

/** One consistent snapshot of what {@link RenewalScheduler} publishes; lastError is null after a success. */
record RenewalState(RenewalPhase phase, Instant notAfter, Instant nextAttempt, int failures, String lastError) {
}
