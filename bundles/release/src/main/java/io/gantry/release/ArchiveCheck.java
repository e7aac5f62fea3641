package io.gantry.release;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.BadSignatureException;
import io.gantry.api.verify.ReleaseRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole offline check of a release archive, as the CLI and an operator see it: the trust rules
 * of {@link ReleaseAuthorization}, then every payload's size and digest. Also reports, per role
 * allowed to sign the release, who has signed so far, so a partially signed release can be shown.
 */
public final class ArchiveCheck {
    private ArchiveCheck() {
    }

    /** How far one role is from its threshold. */
    public record RoleStatus(String role, int threshold, List<String> signers) {
        /** @return whether the role's threshold is met */
        public boolean met() {
            return signers.size() >= threshold;
        }
    }

    /**
     * @return who authorized the release
     * @throws ReleaseRejectedException for any rule the archive breaks
     */
    public static ReleaseAuthorization.Authorized check(ArchiveReleaseSource archive, TrustRoot root, Instant now)
            throws ReleaseRejectedException, IOException {
        byte[] bytes = archive.metadata();
        ReleaseMetadata m = MetadataJson.parse(bytes);
        ReleaseAuthorization.Authorized authorized = ReleaseAuthorization.authorize(m, bytes,
                SignatureEnvelope.parse(archive.signatures()), root, now);
        for (PayloadInfo p : m.payloads()) {
            try (InputStream in = archive.openPayload(p.name())) {
                PayloadCheck.copyVerified(p, in, OutputStream.nullOutputStream());
            }
        }
        return authorized;
    }

    /** @return for each role allowed to sign the release, the distinct valid signers so far */
    public static List<RoleStatus> status(ArchiveReleaseSource archive, TrustRoot root)
            throws ReleaseRejectedException, IOException {
        byte[] bytes = archive.metadata();
        ReleaseMetadata m = MetadataJson.parse(bytes);
        List<ReleaseSignature> sigs = SignatureEnvelope.parse(archive.signatures());
        List<RoleStatus> out = new ArrayList<>();
        for (Role role : ReleaseAuthorization.allowedRoles(m, root)) {
            List<String> names;
            try {
                names = ThresholdCheck.names(ThresholdCheck.verifiedSigners(bytes, sigs, role, root));
            } catch (BadSignatureException e) {
                names = List.of("BAD SIGNATURE by " + root.nameOf(e.keyId()));
            }
            out.add(new RoleStatus(role.name(), role.threshold(), names));
        }
        return out;
    }
}
