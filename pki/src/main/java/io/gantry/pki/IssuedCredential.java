package io.gantry.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key with its certificate chain, leaf first, as a TLS peer presents it. The chain
 * stops below the root: the root is the trust anchor everybody already holds.
 *
 * @param privateKey the leaf's private key
 * @param chain the leaf certificate followed by its issuers, excluding the root
 */
public record IssuedCredential(PrivateKey privateKey, List<X509Certificate> chain) {
    /** @throws IllegalArgumentException if the chain is empty */
    public IssuedCredential {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a credential has at least its leaf certificate");
        }
    }

    /** @return the leaf certificate */
    public X509Certificate certificate() {
        return chain.get(0);
    }
}
