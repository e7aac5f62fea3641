package io.gantry.renewal.internal;

import io.gantry.api.renewal.RenewalPhase;
import java.time.Instant;

/**
 * A scheduling decision: the phase the certificate is in, and when to check or attempt next.
 *
 * @param phase the phase at the time of the decision
 * @param at when the next check or attempt is due (never before the decision time)
 */
record RenewalPlan(RenewalPhase phase, Instant at) {
}
