package io.gantry.release;

import io.gantry.api.verify.ExpiredException;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.TrustRootRejectedException;
import java.time.Instant;
import java.util.List;

/**
 * Which trust roots may be used (TUF 5.3 root rotation). The first root is installed at
 * manufacturing and must carry its own root threshold; every later root must have version exactly
 * one more and be signed by the root threshold of the current root AND of itself, so neither the
 * old keys alone nor the new keys alone can rotate.
 */
public final class TrustRootRotation {
    private TrustRootRotation() {
    }

    /**
     * Accepts the provisioned (first) trust root.
     *
     * @throws ReleaseRejectedException MALFORMED, THRESHOLD_TOO_LOW, EXPIRED, BAD_SIGNATURE or THRESHOLD_NOT_MET
     */
    public static TrustRoot acceptInitial(byte[] bytes, List<ReleaseSignature> signatures, Instant now,
            int minimumThreshold) throws ReleaseRejectedException {
        TrustRoot root = TrustRootJson.parse(bytes);
        root.validate(minimumThreshold);
        notExpired(root, now);
        ThresholdCheck.require(bytes, signatures, root.root(), root);
        return root;
    }

    /**
     * Re-reads a trust root this gateway accepted before (provisioned or rotated): it must still
     * carry its own root threshold and meet the minimum. Expiry is not checked here but at every
     * verification, so an expired root stays loaded and refuses releases with EXPIRED.
     */
    public static TrustRoot acceptStored(byte[] bytes, List<ReleaseSignature> signatures, int minimumThreshold)
            throws ReleaseRejectedException {
        TrustRoot root = TrustRootJson.parse(bytes);
        root.validate(minimumThreshold);
        ThresholdCheck.require(bytes, signatures, root.root(), root);
        return root;
    }

    /**
     * Accepts the successor of {@code current}.
     *
     * @throws ReleaseRejectedException BAD_ROTATION (version), THRESHOLD_NOT_MET (old or new root
     *     threshold), THRESHOLD_TOO_LOW, EXPIRED, BAD_SIGNATURE or MALFORMED
     */
    public static TrustRoot rotate(TrustRoot current, byte[] bytes, List<ReleaseSignature> signatures, Instant now,
            int minimumThreshold) throws ReleaseRejectedException {
        TrustRoot next = TrustRootJson.parse(bytes);
        if (next.version() != current.version() + 1) {
            throw new TrustRootRejectedException(RejectionCode.BAD_ROTATION, "trust root version " + next.version()
                    + " does not follow the installed version " + current.version());
        }
        next.validate(minimumThreshold);
        ThresholdCheck.require(bytes, signatures, current.root(), current);
        ThresholdCheck.require(bytes, signatures, next.root(), next);
        notExpired(next, now);
        return next;
    }

    private static void notExpired(TrustRoot root, Instant now) throws ExpiredException {
        if (now.isAfter(root.expires())) {
            throw new ExpiredException("trust root version " + root.version(), root.expires(), now);
        }
    }
}
