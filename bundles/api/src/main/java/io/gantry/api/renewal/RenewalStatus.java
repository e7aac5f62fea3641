package io.gantry.api.renewal;

import java.time.Instant;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The renewal state of the gateway's device certificate, as last decided by the renewal
 * scheduler. Each call reads one consistent snapshot; values change after each check or attempt.
 */
@ProviderType
public interface RenewalStatus {

    /** @return the phase decided at the last check */
    RenewalPhase phase();

    /** @return the current device certificate's notAfter */
    Instant notAfter();

    /** @return when the scheduler next checks or attempts a renewal */
    Instant nextAttempt();

    /** @return failed attempts since the last success (0 when none failed) */
    int failures();

    /** @return the code and message of the last failed attempt, empty after a success */
    Optional<String> lastError();
}
