package io.gantry.api.tls;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The backend TLS policy of the release trust root in use, offered by the bundle that holds the
 * trust root. The keystore consults it at every handshake, so a rotated trust root takes effect for
 * the next connection without restarting anything.
 */
@ProviderType
public interface BackendTlsPolicySource {
    /**
     * @return the policy of the current trust root, or empty when no usable trust root carries a
     *     {@code tls} object (the keystore then applies its provisioning default, docs/gateway.md)
     */
    Optional<BackendTlsPolicy> current();
}
