package io.gantry.api.verify;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks a release against the trust anchors the gateway already holds. Returns proof or throws;
 * there is no boolean answer and no way to skip a check.
 */
@ProviderType
public interface ReleaseVerifier {

    /**
     * Verifies the signatures over the exact metadata bytes, then streams every payload through
     * SHA-256 into private staging, cut at the signed size.
     *
     * @param source the untrusted release bytes
     * @return the verified release; close it to discard the staged payloads
     * @throws ReleaseRejectedException with a stable code when anything does not verify
     * @throws IOException when the source cannot be read (a transport failure, not a verdict)
     */
    VerifiedRelease verify(ReleaseSource source) throws ReleaseRejectedException, IOException;
}
