package io.gantry.backend.incident;

import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.backend.db.ActionRow;
import io.gantry.backend.db.ActionStatus;
import io.gantry.backend.db.FrozenRolloutRepository;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.backend.db.WithdrawnReleaseRepository;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.http.ApiException;
import io.gantry.backend.rollout.RolloutState;
import io.gantry.backend.rollout.RolloutView;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.SignatureEnvelope;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The backend's half of the key-compromise playbook: which stored releases carry a signature by
 * a key (any signature in the stored envelope naming its key id, whether or not it counted towards
 * the threshold), which devices installed them (FINISHED actions), and the reversible freeze of
 * their rollouts.
 */
public final class KeyCompromise {
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");
    private final IncidentServices s;
    private final FrozenRolloutRepository frozen = new FrozenRolloutRepository();
    private final WithdrawnReleaseRepository withdrawn = new WithdrawnReleaseRepository();

    /** A release with a signature by the key. @param withdrawnCode why it was withdrawn, {@code null} while it is served */
    public record SignedRelease(long id, String name, String version, String kind, String target, String withdrawnCode) {
    }

    /**
     * A device that installed a release the key signed.
     *
     * @param current whether it still runs it: no later install of a release of the same name
     */
    public record Installation(String controllerId, long releaseId, String name, String version, long actionId,
            String installedAt, boolean current) {
    }

    /** What a freeze or unfreeze did, by rollout id. */
    public record FreezeOutcome(List<Long> changed, List<Long> unchanged, List<Long> notStarted) {
    }

    /** @param services storage, rollouts and events */
    public KeyCompromise(IncidentServices services) {
        this.s = services;
    }

    /** @throws ApiException 400 BAD_REQUEST unless {@code keyId} is 64 lower-case hex digits */
    static String requireKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw ApiException.badRequest("key id must be 64 lower-case hex digits (SHA-256 of the public key)");
        }
        return keyId;
    }

    /** @return every stored release whose signature envelope names {@code keyId}, oldest first */
    public List<SignedRelease> signedReleases(String keyId) throws SQLException {
        requireKeyId(keyId);
        return s.database().inTransaction(c -> signedReleases(c, keyId));
    }

    private List<SignedRelease> signedReleases(Connection c, String keyId) throws SQLException {
        List<SignedRelease> out = new ArrayList<>();
        for (ReleaseRow r : s.releases().list(c)) {
            if (signedBy(r, keyId)) {
                out.add(new SignedRelease(r.id(), r.name(), r.version(), r.kind().name().toLowerCase(), r.target(),
                        withdrawn.find(c, r.id()).map(WithdrawnReleaseRepository.Withdrawal::code).orElse(null)));
            }
        }
        return out;
    }

    static boolean signedBy(ReleaseRow r, String keyId) {
        try {
            for (ReleaseSignature sig : SignatureEnvelope.parse(r.signatures())) {
                if (sig.keyId().equals(keyId)) {
                    return true;
                }
            }
        } catch (MalformedReleaseException e) {
            // Stored envelopes were parsed at upload; an unreadable one names no key.
        }
        return r.signerKeyIds().contains(keyId);
    }

    /** @return every installation (FINISHED action) of a release signed by {@code keyId}, by device then action */
    public List<Installation> installations(String keyId) throws SQLException {
        requireKeyId(keyId);
        return s.database().inTransaction(c -> {
            List<Installation> out = new ArrayList<>();
            for (SignedRelease r : signedReleases(c, keyId)) {
                for (ActionRow a : s.actions().forRelease(c, r.id())) {
                    if (a.status() == ActionStatus.FINISHED) {
                        out.add(new Installation(a.controllerId(), r.id(), r.name(), r.version(), a.id(), a.updatedAt().toString(),
                                stillRunning(c, a, r.name())));
                    }
                }
            }
            out.sort((x, y) -> x.controllerId().equals(y.controllerId()) ? Long.compare(x.actionId(), y.actionId())
                    : x.controllerId().compareTo(y.controllerId()));
            return out;
        });
    }

    /** @return whether no later FINISHED action of the device installed another release of the same name (the same line) */
    private boolean stillRunning(Connection c, ActionRow installed, String name) throws SQLException {
        for (ActionRow later : s.actions().forTarget(c, installed.controllerId())) {
            if (later.id() > installed.id() && later.status() == ActionStatus.FINISHED) {
                Optional<ReleaseRow> r = s.releases().find(c, later.releaseId());
                if (r.isPresent() && r.get().name().equals(name)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Pauses every RUNNING rollout of a release signed by {@code keyId} and remembers it; CREATED
     * ones are reported as not started (the scheduler starts them at its next tick: freeze again).
     */
    public FreezeOutcome freeze(String keyId, String actor) throws SQLException {
        requireKeyId(keyId);
        Set<Long> releaseIds = new TreeSet<>();
        signedReleases(keyId).forEach(r -> releaseIds.add(r.id()));
        List<Long> paused = new ArrayList<>();
        List<Long> unchanged = new ArrayList<>();
        List<Long> notStarted = new ArrayList<>();
        Instant now = s.clock().instant();
        for (RolloutView r : s.rollouts().list()) {
            if (!releaseIds.contains(r.releaseId())) {
                continue;
            }
            if (r.state() == RolloutState.CREATED) {
                notStarted.add(r.id());
            } else if (r.state() == RolloutState.RUNNING) {
                try {
                    s.rollouts().pause(r.id(), "frozen: key " + keyId + " compromised");
                } catch (ApiException finishedMeanwhile) {
                    unchanged.add(r.id());
                    continue;
                }
                s.database().inTransaction(c -> {
                    frozen.insert(c, keyId, r.id(), now);
                    return null;
                });
                paused.add(r.id());
            } else {
                unchanged.add(r.id());
            }
        }
        s.securityEvents().record(SecurityEventCode.INCIDENT_STEP, actor, null, "key-compromise " + keyId + " freeze: paused "
                + paused + ", not started " + notStarted + ", left as they were " + unchanged);
        return new FreezeOutcome(paused, unchanged, notStarted);
    }

    /**
     * Resumes the rollouts this key's freeze paused that are still PAUSED; forgets the others.
     *
     * @throws ApiException 409 NOT_FROZEN when the freeze paused nothing that is still paused
     */
    public FreezeOutcome unfreeze(String keyId, String actor) throws SQLException {
        requireKeyId(keyId);
        List<Long> resumed = new ArrayList<>();
        List<Long> unchanged = new ArrayList<>();
        for (long id : s.database().inTransaction(c -> frozen.list(c, keyId))) {
            RolloutView r = s.rollouts().get(id);
            if (r.state() == RolloutState.PAUSED) {
                s.rollouts().resume(id);
                resumed.add(id);
            } else {
                unchanged.add(id);
            }
            s.database().inTransaction(c -> {
                frozen.delete(c, keyId, id);
                return null;
            });
        }
        if (resumed.isEmpty()) {
            throw new ApiException(RequestError.NOT_FROZEN, "no rollout paused by the freeze of key " + keyId
                    + " is still paused" + (unchanged.isEmpty() ? "" : " (ended or resumed since: " + unchanged + ")"));
        }
        s.securityEvents().record(SecurityEventCode.INCIDENT_STEP, actor, null, "key-compromise " + keyId
                + " unfreeze: resumed " + resumed + ", no longer paused " + unchanged);
        return new FreezeOutcome(resumed, unchanged, List.of());
    }
}
