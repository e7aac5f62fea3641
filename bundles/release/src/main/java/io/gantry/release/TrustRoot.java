package io.gantry.release;

import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.TrustRootRejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The release trust root (docs/release-format.md): keys, the root role that signs trust roots,
 * release roles per major version, vendor delegations, revoked keys and an expiry. Parsed from
 * signed bytes by {@link TrustRootJson}; whether those bytes may be used is decided by
 * {@link TrustRootRotation}.
 *
 * @param version increases by exactly one with each rotation
 * @param expires after this the root may no longer be used
 * @param keys every key the roles name, by key id
 * @param root the role whose threshold signs trust roots
 * @param releases release roles by major version
 * @param vendors vendor delegations
 * @param revokedKeyIds keys that count zero in every role
 * @param tls the backend TLS policy (pins, revocation), or {@code null} when the root carries none
 * @param resetsTrustedTime whether accepting this root starts a new trusted-time epoch: the
 *     root-signed recovery for gateways whose trusted time was carried into the future (every
 *     release EXPIRED); such a root must itself expire after the stuck trusted time to be accepted
 */
public record TrustRoot(long version, Instant expires, Map<String, TrustedKey> keys, Role root,
        Map<Integer, Role> releases, List<Role> vendors, Set<String> revokedKeyIds, BackendTlsPolicy tls,
        boolean resetsTrustedTime) {

    /** A root that does not reset trusted time. */
    public TrustRoot(long version, Instant expires, Map<String, TrustedKey> keys, Role root,
            Map<Integer, Role> releases, List<Role> vendors, Set<String> revokedKeyIds, BackendTlsPolicy tls) {
        this(version, expires, keys, root, releases, vendors, revokedKeyIds, tls, false);
    }

    /** A root without a backend TLS policy. */
    public TrustRoot(long version, Instant expires, Map<String, TrustedKey> keys, Role root,
            Map<Integer, Role> releases, List<Role> vendors, Set<String> revokedKeyIds) {
        this(version, expires, keys, root, releases, vendors, revokedKeyIds, null, false);
    }

    /** Copies the collections. */
    public TrustRoot {
        keys = Map.copyOf(keys);
        releases = Map.copyOf(releases);
        vendors = List.copyOf(vendors);
        revokedKeyIds = Set.copyOf(revokedKeyIds);
    }

    /** @return every role: root, releases, vendors */
    public List<Role> roles() {
        List<Role> all = new ArrayList<>();
        all.add(root);
        all.addAll(releases.values());
        all.addAll(vendors);
        return all;
    }

    /** @return the name of the key with that id, or the id itself */
    public String nameOf(String keyId) {
        TrustedKey k = keys.get(keyId);
        return k == null ? keyId : k.name();
    }

    /**
     * Checks the structural rules a root must meet before any use: every role names only known
     * keys, its threshold is at least {@code minimumThreshold} (and at least 1) and reachable with
     * its distinct, unrevoked keys.
     *
     * @throws TrustRootRejectedException THRESHOLD_TOO_LOW
     * @throws MalformedReleaseException for unknown keys or unreachable thresholds
     */
    public void validate(int minimumThreshold) throws TrustRootRejectedException, MalformedReleaseException {
        int floor = Math.max(1, minimumThreshold);
        for (Role role : roles()) {
            if (role.threshold() < floor) {
                throw new TrustRootRejectedException(RejectionCode.THRESHOLD_TOO_LOW, "role " + role.name()
                        + " has threshold " + role.threshold() + ", below the configured minimum " + floor);
            }
            Set<String> distinct = new HashSet<>();
            for (String id : role.keyIds()) {
                TrustedKey k = keys.get(id);
                if (k == null) {
                    throw new MalformedReleaseException("role " + role.name() + " names unknown key " + id);
                }
                if (!revokedKeyIds.contains(id)) {
                    distinct.add(k.canonical());
                }
            }
            if (distinct.size() < role.threshold()) {
                throw new MalformedReleaseException("role " + role.name() + " cannot reach threshold "
                        + role.threshold() + " with " + distinct.size() + " distinct unrevoked keys");
            }
        }
    }
}
