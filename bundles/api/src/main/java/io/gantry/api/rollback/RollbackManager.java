package io.gantry.api.rollback;

import io.gantry.api.verify.RollbackException;
import io.gantry.api.verify.VerifiedRelease;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Replaces one of the gateway's own bundles with a verified release, keeping the previous version
 * until the new one passes its health check; on failure the previous version is restored.
 */
@ProviderType
public interface RollbackManager {

    /**
     * Stages the current bundle, updates it in place from the verified payload, refreshes its
     * wiring and waits for it to become healthy; commits, or reverts to the staged version.
     *
     * @param release a verified release of kind BUNDLE whose name is the bundle's symbolic name
     * @return what changed
     * @throws InstallFailedException if the update could not be applied or failed its health
     *     check; {@link InstallFailedException#reverted()} says whether the old version runs again
     * @throws RollbackException if the payload's Bundle-Version is not above the running one's
     *     (nothing was touched)
     */
    BundleUpdate installBundle(VerifiedRelease release) throws InstallFailedException, RollbackException;
}
