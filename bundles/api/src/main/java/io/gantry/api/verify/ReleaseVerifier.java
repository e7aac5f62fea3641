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

    /**
     * Records that a verified release is now installed and committed: its stream's version and
     * security counter become the new floor (they never decrease), and its build time becomes a
     * trusted time. Call only after the install committed; a revert must not call this.
     *
     * @throws IOException if the anti-rollback state could not be stored
     */
    void recordInstalled(VerifiedRelease release) throws IOException;

    /**
     * Records a release whose install committed later than its verification: a bundle set the
     * update coordinator switched, possibly after this verifier itself was replaced. The signatures
     * over the exact metadata bytes are checked again against the trust root (payloads are not
     * read; expiry is judged at the time the release was installable, since it was valid when it
     * was verified), then the floors are raised as {@link #recordInstalled} does.
     *
     * @param committed the release's metadata and signatures (its payloads are not needed)
     * @throws ReleaseRejectedException if the signatures no longer verify against the trust root
     * @throws IOException if the anti-rollback state could not be stored
     * @since 1.4
     */
    void recordCommitted(ReleaseSource committed) throws ReleaseRejectedException, IOException;

    /**
     * Installs a new trust root carried by a verified TRUST_ROOT release (payloads
     * {@code trust-root.json} and {@code trust-root.sigs.json}); it must follow the rotation rule.
     *
     * @return the new trust root version
     * @throws ReleaseRejectedException BAD_ROTATION, THRESHOLD_NOT_MET, THRESHOLD_TOO_LOW, EXPIRED, MALFORMED
     */
    long installTrustRoot(VerifiedRelease release) throws ReleaseRejectedException, IOException;

    /** @return the version of the trust root in use, or 0 when none could be loaded */
    long trustRootVersion();
}
