package io.gantry.api.rollback;

import io.gantry.api.verify.RollbackException;
import io.gantry.api.verify.VerifiedRelease;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Replaces the gateway's own bundles with a verified release, as one transaction with a way back.
 * The switch itself runs on the update coordinator (outside every bundle, so any bundle, this one
 * included, can be replaced): {@link #submit} returns once the set is handed over, and the outcome
 * is asked for later, possibly by a new revision of the caller. The coordinator keeps the outcomes
 * of the last transactions, so a caller restarted after the switch still finds its outcome.
 */
@ProviderType
public interface RollbackManager {

    /**
     * Checks every bundle of a verified BUNDLE release (each jar is read through its re-checking
     * stream; the manifest the framework will read names a version above the running one) and
     * hands the set to the coordinator under the given id.
     *
     * @param release a verified release of kind BUNDLE for the gateway: one payload per bundle; a
     *     release of one bundle is named after it and carries its version
     * @param transactionId the id to ask {@link #outcome} with (letters, digits, {@code . _ -})
     * @return one line per bundle the transaction will change
     * @throws InstallFailedException if the set cannot be handed over; nothing was touched
     * @throws RollbackException if a bundle's version is not above the running one's
     */
    List<String> submit(VerifiedRelease release, String transactionId) throws InstallFailedException, RollbackException;

    /**
     * @return one line per bundle changed once the transaction committed (new set healthy after its
     *     soak period), or empty while it runs
     * @throws InstallFailedException once it ended without committing: the previous set runs again
     *     ({@link InstallFailedException#reverted()}), or the revert failed (REVERT_FAILED); also
     *     UPDATE_INTERRUPTED for an id the coordinator never started
     */
    Optional<List<String>> outcome(String transactionId) throws InstallFailedException;
}
