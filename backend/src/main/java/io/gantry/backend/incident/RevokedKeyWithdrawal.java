package io.gantry.backend.incident;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ExpiredException;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.ActionRow;
import io.gantry.backend.db.ActionStatus;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.backend.db.WithdrawnReleaseRepository;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.mgmt.ActiveTrustRoot;
import io.gantry.backend.rollout.Rollouts;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseAuthorization;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRoot;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops serving what a rotated trust root no longer authorizes. Inside the transaction that
 * activates the new root, every stored release (trust-root releases aside) is authorized again
 * against it, exactly as on upload; one that fails for any reason but expiry (a revoked signer
 * counts zero, so typically THRESHOLD_NOT_MET) is withdrawn: recorded in {@code withdrawn_releases},
 * its open actions become CANCELING (the device is offered {@code cancelAction}), its rollouts
 * are canceled, and new assignments of it are refused with 409 RELEASE_WITHDRAWN. Expiry is left
 * out on purpose: an expired release is refused by gateways anyway and is not a key question.
 */
public final class RevokedKeyWithdrawal implements ActiveTrustRoot.Listener {
    private final ReleaseRepository releases;
    private final ActionRepository actions;
    private final Rollouts rollouts;
    private final SecurityEvents events;
    private final WithdrawnReleaseRepository withdrawn = new WithdrawnReleaseRepository();

    /**
     * @param releases the releases tables
     * @param actions the actions tables
     * @param rollouts rollout operations, to cancel those of a withdrawn release
     * @param events where the activation and each withdrawal are recorded
     */
    public RevokedKeyWithdrawal(ReleaseRepository releases, ActionRepository actions, Rollouts rollouts, SecurityEvents events) {
        this.releases = releases;
        this.actions = actions;
        this.rollouts = rollouts;
        this.events = events;
    }

    @Override
    public void activating(Connection c, TrustRoot previous, TrustRoot next, long releaseId, Instant now) throws SQLException {
        List<String> out = new ArrayList<>();
        for (ReleaseRow r : releases.list(c)) {
            if (r.kind() == ReleaseKind.TRUST_ROOT || withdrawn.find(c, r.id()).isPresent()) {
                continue;
            }
            String code = refusalUnder(next, r, now);
            if (code == null) {
                continue;
            }
            withdrawn.insert(c, r.id(), next.version(), code, now);
            int canceledActions = 0;
            for (ActionRow a : actions.forRelease(c, r.id())) {
                if (a.status() == ActionStatus.PENDING || a.status() == ActionStatus.RUNNING) {
                    actions.transition(c, a.id(), a.status(), ActionStatus.CANCELING, now);
                    canceledActions++;
                }
            }
            List<Long> canceledRollouts = rollouts.cancelAllOf(c, r.id(), "canceled: release withdrawn by trust root version "
                    + next.version() + " (" + code + ")", now);
            String what = "release " + r.id() + " (" + r.name() + " " + r.version() + ")";
            out.add(what);
            events.record(SecurityEventCode.RELEASE_WITHDRAWN_BY_ROTATION, "trust root " + next.version(), null,
                    what + " fails " + code + " under trust root version " + next.version() + ": withdrawn, "
                    + canceledActions + " open actions canceled, rollouts canceled " + canceledRollouts);
        }
        events.record(SecurityEventCode.TRUST_ROOT_ACTIVATED, "release " + releaseId, null, "trust root version "
                + previous.version() + " -> " + next.version() + ", revoked keys " + next.revokedKeyIds() + ", withdrawn " + out);
    }

    /** @return the rejection code of {@code r} under {@code root}, or {@code null} if it is still authorized (or only expired) */
    static String refusalUnder(TrustRoot root, ReleaseRow r, Instant now) {
        try {
            ReleaseMetadata m = MetadataJson.parse(r.metadata());
            ReleaseAuthorization.authorize(m, r.metadata(), SignatureEnvelope.parse(r.signatures()), root, now);
            return null;
        } catch (ExpiredException e) {
            return null;
        } catch (ReleaseRejectedException e) {
            return e.code().name();
        }
    }
}
