package io.gantry.backend;

import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootRotation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the release trust root every upload is authorized against: {@code trust-root.json} and its
 * signatures beside it ({@link TrustRootFiles}), accepted with the same rule a gateway applies to a
 * trust root it stored ({@link TrustRootRotation#acceptStored}). It is read when the server starts
 * (a root that does not load or validate stops the start: fail closed); rotations that trust-root
 * releases activated since are replayed on top of it ({@code mgmt.ActiveTrustRoot}), and later ones
 * take effect without a restart.
 */
public final class ReleaseTrust {
    /**
     * The two-person rule: every role of the trust root (root, release roles, vendor delegations)
     * must require at least this many distinct signers, so no single stolen or rogue key can sign a
     * release the backend accepts. Gateways enforce the same minimum by default
     * ({@code VerifierConfig.minimumThreshold}).
     */
    public static final int TWO_PERSON_MINIMUM = 2;
    private static final Logger LOG = LoggerFactory.getLogger(ReleaseTrust.class);

    private ReleaseTrust() {
    }

    /**
     * @param json the {@code trust-root.json} file
     * @param now the backend's time, only to warn about an expired root (which then refuses every
     *     upload with EXPIRED, as on a gateway)
     * @return the accepted trust root
     * @throws IllegalArgumentException if the files cannot be read, the root is malformed, a role is
     *     below {@link #TWO_PERSON_MINIMUM}, or the root is not signed by its own root threshold
     */
    public static TrustRoot load(Path json, Instant now) {
        TrustRoot root;
        try {
            TrustRootFiles.Signed signed = TrustRootFiles.read(json);
            root = TrustRootRotation.acceptStored(signed.bytes(), signed.signatures(), TWO_PERSON_MINIMUM);
        } catch (ReleaseRejectedException e) {
            throw refused(json, e.code().name() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw refused(json, "cannot read it or its signatures " + TrustRootFiles.signaturesOf(json) + ": " + e, e);
        }
        if (now.isAfter(root.expires())) {
            LOG.warn("release trust root {} version {} expired at {}: every upload will be refused with EXPIRED",
                    json, root.version(), root.expires());
        }
        return root;
    }

    private static IllegalArgumentException refused(Path json, String why, Exception cause) {
        return new IllegalArgumentException("release trust root " + json + " refused (" + why
                + "): refusing to start, no upload could be authorized", cause);
    }
}
