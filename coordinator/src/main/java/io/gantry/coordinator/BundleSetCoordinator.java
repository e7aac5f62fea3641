package io.gantry.coordinator;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Replaces a set of gateway bundles as one transaction, on the coordinator's own thread: stage and
 * check every jar, switch them all, refresh the wiring, run the health gates within a deadline,
 * then commit, or put back exactly the previous set. The transaction is journaled at each step, so
 * a gateway killed at any moment completes or reverts it at the next start, before any updated
 * bundle runs.
 *
 * <p>{@link #submit} returns as soon as the set is staged; the caller (which may be one of the
 * bundles being replaced) learns the outcome later from {@link #outcome}, possibly as a new
 * revision of itself.
 */
@ProviderType
public interface BundleSetCoordinator {

    /**
     * Copies every jar into the coordinator's own storage, checks each copy against its digest,
     * journals the transaction and starts it.
     *
     * @throws TransactionRefusedException if the request cannot start (another transaction runs,
     *     a jar does not match its digest, no copy of a running version to revert to): nothing
     *     was touched
     */
    void submit(BundleSetRequest request) throws TransactionRefusedException;

    /** @return the final outcome of a transaction, or empty while it runs (or if unknown) */
    Optional<TransactionOutcome> outcome(String transactionId);

    /** @return whether the coordinator knows the transaction (running or finished, not forgotten) */
    boolean knows(String transactionId);

    /** @return the finished transactions whose outcome nobody has forgotten yet */
    List<TransactionOutcome> finished();

    /** Drops a finished transaction's outcome once it has been reported; running ones are kept. */
    void forget(String transactionId);
}
