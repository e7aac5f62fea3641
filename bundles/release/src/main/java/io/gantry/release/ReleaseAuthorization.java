package io.gantry.release;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.BadSignatureException;
import io.gantry.api.verify.ExpiredException;
import io.gantry.api.verify.MissingSignatureException;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.ThresholdNotMetException;
import io.gantry.api.verify.UnauthorizedSignerException;
import io.gantry.api.verify.UnknownSignerException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether signed release metadata may be installed under a trust root (docs/release-format.md,
 * "Trust rules"): not expired, and signed by the threshold of a role allowed to sign it: the release
 * role of its major version, a vendor role whose delegation covers it, or for trust-root releases
 * the root role. Roles are never mixed to reach a threshold.
 */
public final class ReleaseAuthorization {
    private ReleaseAuthorization() {
    }

    /** Who authorized a release. */
    public record Authorized(Role role, List<TrustedKey> signers) {
        /** @return signer names, for reports */
        public List<String> signerNames() {
            return ThresholdCheck.names(signers);
        }

        /** @return signer key ids, for reports */
        public List<String> signerKeyIds() {
            return signers.stream().map(TrustedKey::keyId).toList();
        }
    }

    /**
     * @param m metadata parsed from {@code metadataBytes} (after this check succeeds, nothing else
     *     of the release is trusted that is not in {@code m})
     * @param now the trusted time
     * @throws ReleaseRejectedException EXPIRED, MISSING_SIGNATURE, BAD_SIGNATURE, UNKNOWN_SIGNER,
     *     UNAUTHORIZED_SIGNER or THRESHOLD_NOT_MET
     */
    public static Authorized authorize(ReleaseMetadata m, byte[] metadataBytes, List<ReleaseSignature> signatures,
            TrustRoot root, Instant now) throws ReleaseRejectedException {
        if (now.isAfter(root.expires())) {
            throw new ExpiredException("trust root version " + root.version(), root.expires(), now);
        }
        if (now.isAfter(m.expires())) {
            throw new ExpiredException("release " + m.name() + " " + m.version(), m.expires(), now);
        }
        if (signatures.isEmpty()) {
            throw new MissingSignatureException();
        }
        List<Role> allowed = allowedRoles(m, root);
        ThresholdNotMetException best = null;
        for (Role role : allowed) {
            try {
                return new Authorized(role, ThresholdCheck.require(metadataBytes, signatures, role, root));
            } catch (ThresholdNotMetException e) {
                if (best == null || e.signers().size() > best.signers().size()) {
                    best = e;
                }
            }
        }
        throw diagnose(m, metadataBytes, signatures, root, allowed, best);
    }

    /** @return the roles that may sign {@code m}, most specific first */
    public static List<Role> allowedRoles(ReleaseMetadata m, TrustRoot root) {
        List<Role> roles = new ArrayList<>();
        if (m.kind() == ReleaseKind.TRUST_ROOT) {
            roles.add(root.root());
            return roles;
        }
        for (Role v : root.vendors()) {
            boolean covers = m.kind() == ReleaseKind.FIRMWARE ? v.targets().contains(m.target()) : v.bundles().contains(m.name());
            if (covers) {
                roles.add(v);
            }
        }
        Role release = root.releases().get(m.majorVersion());
        if (release != null) {
            roles.add(release);
        }
        return roles;
    }

    private static ReleaseRejectedException diagnose(ReleaseMetadata m, byte[] data, List<ReleaseSignature> sigs,
            TrustRoot root, List<Role> allowed, ThresholdNotMetException best) {
        if (best != null && !best.signers().isEmpty()) {
            return best;
        }
        for (Role other : root.roles()) {
            if (!allowed.contains(other) && signedBy(data, sigs, other, root)) {
                return new UnauthorizedSignerException("signed by role " + other.name() + ", which may not sign "
                        + m.kind().name().toLowerCase() + " " + m.name() + " " + m.version() + " for " + m.target());
            }
        }
        if (allowed.isEmpty()) {
            return new UnauthorizedSignerException("no role of trust root " + root.version() + " may sign "
                    + m.name() + " " + m.version() + " (no keys for major version " + m.majorVersion() + ")");
        }
        boolean anyKnown = sigs.stream().anyMatch(s -> root.keys().containsKey(s.keyId())
                && !root.revokedKeyIds().contains(s.keyId()));
        if (!anyKnown) {
            return new UnknownSignerException(sigs.stream().map(ReleaseSignature::keyId).toList());
        }
        return best;
    }

    private static boolean signedBy(byte[] data, List<ReleaseSignature> sigs, Role role, TrustRoot root) {
        try {
            return !ThresholdCheck.verifiedSigners(data, sigs, role, root).isEmpty();
        } catch (BadSignatureException e) {
            return false;
        }
    }
}
