package io.gantry.renewal.internal;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Orders certificates into a chain, issued certificate first. A certs-only answer is a set
 * (RFC 5652 §5.1), so the order is rebuilt by issuer name; the keystore then verifies the chain
 * cryptographically against its trust anchor, so a wrong guess here is refused there, not trusted.
 */
final class CertChains {
    private static final int MAX_DEPTH = 8;

    private CertChains() {
    }

    /**
     * @param pool the issued certificates plus any known CA certificates
     * @param key the public key of the pending renewal
     * @return the certificate carrying {@code key} followed by its issuers found in {@code pool};
     *     the whole pool unchanged if no certificate carries the key (the keystore then refuses it)
     */
    static List<X509Certificate> leafFirst(Collection<X509Certificate> pool, PublicKey key) {
        X509Certificate leaf = pool.stream().filter(c -> Arrays.equals(c.getPublicKey().getEncoded(), key.getEncoded()))
                .findFirst().orElse(null);
        if (leaf == null) {
            return List.copyOf(pool);
        }
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        X509Certificate at = leaf;
        while (chain.size() < MAX_DEPTH && !selfIssued(at)) {
            X509Certificate child = at;
            X509Certificate issuer = pool.stream()
                    .filter(c -> c.getSubjectX500Principal().equals(child.getIssuerX500Principal()) && !chain.contains(c))
                    .findFirst().orElse(null);
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            at = issuer;
        }
        return List.copyOf(chain);
    }

    /** @return whether the chain's last certificate is self-issued (it reached a root) */
    static boolean reachesRoot(List<X509Certificate> chain) {
        return selfIssued(chain.get(chain.size() - 1));
    }

    private static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }
}
