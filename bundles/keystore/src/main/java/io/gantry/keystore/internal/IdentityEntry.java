package io.gantry.keystore.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One PKCS#12 key entry in memory: the key store, the alias of its single key, and the chain.
 * Immutable once built, so a renewal swaps one reference and readers never see half an identity.
 */
record IdentityEntry(KeyStore keyStore, String alias, List<X509Certificate> chain) {

    /** @return the entry of the single key in {@code ks} */
    static IdentityEntry of(KeyStore ks) throws GeneralSecurityException {
        List<String> keys = new ArrayList<>();
        for (String a : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(a)) {
                keys.add(a);
            }
        }
        if (keys.size() != 1) {
            throw new GeneralSecurityException("device keystore must hold exactly one key entry, found " + keys.size());
        }
        String alias = keys.get(0);
        return new IdentityEntry(ks, alias, DeviceCertificates.toX509(ks.getCertificateChain(alias)));
    }

    X509Certificate leaf() {
        return chain.get(0);
    }
}
