package io.gantry.keystore.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client-side key manager that offers only the configured device certificate, whatever else the
 * token holds. Selection (key type, issuers, validity, key usage) stays with the JDK key manager it
 * wraps; this class only drops candidates whose certificate is not the device certificate.
 */
final class PinnedAliasKeyManager extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager delegate;
    private final X509Certificate deviceCertificate;

    PinnedAliasKeyManager(X509ExtendedKeyManager delegate, X509Certificate deviceCertificate) {
        this.delegate = delegate;
        this.deviceCertificate = deviceCertificate;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return pinned(keyTypes, issuers);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return pinned(keyTypes, issuers);
    }

    private String pinned(String[] keyTypes, Principal[] issuers) {
        if (keyTypes == null) {
            return null;
        }
        for (String keyType : keyTypes) {
            String[] aliases = delegate.getClientAliases(keyType, issuers);
            if (aliases == null) {
                continue;
            }
            for (String alias : aliases) {
                X509Certificate[] chain = delegate.getCertificateChain(alias);
                if (chain != null && chain.length > 0 && chain[0].equals(deviceCertificate)) {
                    return alias;
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        String alias = pinned(new String[] {keyType}, issuers);
        return alias == null ? null : new String[] {alias};
    }

    // A gateway is only ever the client side of its TLS connections.
    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate.getPrivateKey(alias);
    }
}
