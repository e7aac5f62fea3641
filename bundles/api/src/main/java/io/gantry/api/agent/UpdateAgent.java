package io.gantry.api.agent;

import io.gantry.api.verify.ReleaseSource;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's update orchestrator. Besides polling the backend, it applies a release from any
 * source (a local archive, for instance): verify, route by kind and target, install, report.
 */
@ProviderType
public interface UpdateAgent {

    /**
     * @param source the untrusted release
     * @return what was installed
     * @throws UpdateFailedException with a stable code if the release was rejected or could not be
     *     installed; the previous version keeps running
     */
    UpdateReport apply(ReleaseSource source) throws UpdateFailedException;

    /**
     * Verifies and applies a release without waiting for a bundle-set switch: firmware and trust
     * roots are applied at once (the report is returned); a release of gateway bundles is handed to
     * the update coordinator under {@code transactionId} and continues there (empty is returned;
     * ask {@link #settle}). The caller journals the id before calling, since the caller may itself
     * be among the bundles replaced.
     *
     * @throws UpdateFailedException with a stable code if the release was rejected or could not be
     *     handed over; nothing was changed
     */
    java.util.Optional<UpdateReport> start(ReleaseSource source, String transactionId) throws UpdateFailedException;

    /**
     * The outcome of a bundle set started by {@link #start}: empty while the coordinator still
     * runs it; the report once it committed (the anti-rollback floors are raised then, from the
     * release's metadata and signatures, verified again); a failure once it was reverted.
     *
     * @param release the same release (its metadata and signatures are read; payloads are not)
     * @throws UpdateFailedException with the coordinator's code once the previous set runs again
     */
    java.util.Optional<UpdateReport> settle(String transactionId, ReleaseSource release) throws UpdateFailedException;
}
