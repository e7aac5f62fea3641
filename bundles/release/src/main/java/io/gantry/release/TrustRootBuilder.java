package io.gantry.release;

import io.gantry.api.tls.BackendTlsPolicy;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Assembles a {@link TrustRoot} from named keys, for the CLI, the demo and tests. */
public final class TrustRootBuilder {
    private final long version;
    private final Instant expires;
    private final Map<String, TrustedKey> keysByName = new LinkedHashMap<>();
    private Role root;
    private final Map<Integer, Role> releases = new LinkedHashMap<>();
    private final List<Role> vendors = new ArrayList<>();
    private final Set<String> revoked = new HashSet<>();
    private BackendTlsPolicy tls;
    private boolean resetsTrustedTime;

    public TrustRootBuilder(long version, Instant expires) {
        this.version = version;
        this.expires = expires;
    }

    /** Adds a key under a name with the default scheme of its type. */
    public TrustRootBuilder key(String name, PublicKey key) {
        return key(name, key, SignatureScheme.defaultFor(key));
    }

    /** Adds a key under a name with an explicit scheme. */
    public TrustRootBuilder key(String name, PublicKey key, SignatureScheme scheme) {
        keysByName.put(name, new TrustedKey(KeyIds.of(key), name, scheme, key));
        return this;
    }

    /** Sets the root role. */
    public TrustRootBuilder root(int threshold, String... keyNames) {
        root = Role.of("root", threshold, ids(keyNames));
        return this;
    }

    /** Adds the release role of one major version. */
    public TrustRootBuilder releases(int major, int threshold, String... keyNames) {
        releases.put(major, Role.of("releases/" + major, threshold, ids(keyNames)));
        return this;
    }

    /** Adds a vendor delegation limited to device types and bundle names. */
    public TrustRootBuilder vendor(String name, int threshold, Set<String> targets, Set<String> bundles, String... keyNames) {
        vendors.add(new Role("vendor/" + name, threshold, Set.copyOf(ids(keyNames)), targets, bundles));
        return this;
    }

    /** Revokes a key: it counts zero in every role. */
    public TrustRootBuilder revoke(String keyName) {
        revoked.add(ids(keyName).get(0));
        return this;
    }

    /**
     * Marks the root as the root-signed recovery from a trusted time carried into the future:
     * accepting it starts a new trusted-time epoch on every gateway (docs/release-format.md).
     */
    public TrustRootBuilder resetTrustedTime() {
        resetsTrustedTime = true;
        return this;
    }

    /** Sets the backend TLS policy (pinned CA keys, revocation policy) the root carries. */
    public TrustRootBuilder tls(BackendTlsPolicy policy) {
        tls = policy;
        return this;
    }

    public TrustRoot build() {
        Map<String, TrustedKey> byId = new LinkedHashMap<>();
        keysByName.values().forEach(k -> byId.put(k.keyId(), k));
        return new TrustRoot(version, expires, byId, root, releases, vendors, revoked, tls, resetsTrustedTime);
    }

    private List<String> ids(String... names) {
        List<String> ids = new ArrayList<>();
        for (String n : names) {
            TrustedKey k = keysByName.get(n);
            if (k == null) {
                throw new IllegalArgumentException("no key named " + n);
            }
            ids.add(k.keyId());
        }
        return ids;
    }
}
