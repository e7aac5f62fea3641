package io.gantry.api.tls;

import java.util.Locale;
import java.util.Set;

/**
 * How the gateway judges the backend's TLS server chain beyond PKIX validation: at least one
 * certificate of the validated path (intermediate or root) must have one of the pinned public keys,
 * and the server certificate's revocation is checked under {@code revocation}.
 *
 * @param pinnedSpkiSha256 lower-case hex SHA-256 of DER SubjectPublicKeyInfo; never empty
 * @param revocation the policy when no valid revocation answer is found
 */
public record BackendTlsPolicy(Set<String> pinnedSpkiSha256, RevocationPolicy revocation) {

    /**
     * Copies the pins and checks their form.
     *
     * @throws IllegalArgumentException if there is no pin, a pin is not 64 hex digits, or no policy
     */
    public BackendTlsPolicy {
        if (pinnedSpkiSha256 == null || pinnedSpkiSha256.isEmpty()) {
            throw new IllegalArgumentException("a TLS policy needs at least one pinned CA key");
        }
        for (String pin : pinnedSpkiSha256) {
            if (pin == null || !pin.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("pin is not 64 lower-case hex digits: " + pin);
            }
        }
        if (revocation == null) {
            throw new IllegalArgumentException("a TLS policy needs a revocation policy");
        }
        pinnedSpkiSha256 = Set.copyOf(pinnedSpkiSha256);
    }

    @Override
    public String toString() {
        return "BackendTlsPolicy[" + pinnedSpkiSha256.size() + " pins, " + revocation.id().toLowerCase(Locale.ROOT) + "]";
    }
}
