package io.gantry.verifier.internal;

import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.verify.NoTrustAnchorException;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootRotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The trust root in use: the provisioned one, or a rotated one stored in the verifier's data area,
 * whichever has the higher version and still carries its own root threshold. A root that cannot be
 * loaded leaves the holder empty, and every verification then fails with NO_TRUST_ANCHOR.
 */
final class TrustRootHolder {
    private final Path stored;
    private final int minimumThreshold;
    private volatile TrustRoot current;
    private volatile String problem;

    TrustRootHolder(Path provisioned, Path stored, int minimumThreshold) {
        this.stored = stored;
        this.minimumThreshold = minimumThreshold;
        TrustRoot best = null;
        StringBuilder problems = new StringBuilder();
        for (Path p : List.of(provisioned, stored)) {
            if (!Files.exists(p)) {
                continue;
            }
            try {
                TrustRootFiles.Signed s = TrustRootFiles.read(p);
                TrustRoot r = TrustRootRotation.acceptStored(s.bytes(), s.signatures(), minimumThreshold);
                if (best == null || r.version() > best.version()) {
                    best = r;
                }
            } catch (IOException | ReleaseRejectedException e) {
                problems.append(p).append(": ").append(e.getMessage()).append("; ");
            }
        }
        this.current = best;
        this.problem = best != null ? null : problems.length() > 0 ? problems.toString() : "no trust root at " + provisioned;
    }

    /** @throws NoTrustAnchorException if no usable trust root was found */
    TrustRoot require() throws NoTrustAnchorException {
        TrustRoot r = current;
        if (r == null) {
            throw new NoTrustAnchorException(problem);
        }
        return r;
    }

    /** @return the backend TLS policy of the root in use; empty without a root or without a "tls" object */
    Optional<BackendTlsPolicy> tlsPolicy() {
        TrustRoot r = current;
        return r == null ? Optional.empty() : Optional.ofNullable(r.tls());
    }

    /** @return whether the root in use asks for a new trusted-time epoch (its version names it) */
    boolean resetsTrustedTime() {
        TrustRoot r = current;
        return r != null && r.resetsTrustedTime();
    }

    long version() {
        TrustRoot r = current;
        return r == null ? 0 : r.version();
    }

    /** Checks the rotation rule, stores the new root durably, then switches to it. */
    synchronized TrustRoot rotate(byte[] bytes, List<ReleaseSignature> signatures, Instant now)
            throws ReleaseRejectedException, IOException {
        TrustRoot next = TrustRootRotation.rotate(require(), bytes, signatures, now, minimumThreshold);
        TrustRootFiles.write(stored, bytes, signatures);
        current = next;
        problem = null;
        return next;
    }
}
