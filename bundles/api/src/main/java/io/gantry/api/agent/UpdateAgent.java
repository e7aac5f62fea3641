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
}
