package io.gantry.keystore.internal;

import io.gantry.api.tls.BackendChainCode;
import io.gantry.api.tls.BackendTlsPolicySource;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust manager for connections to the backend: the JDK's PKIX validation against the configured
 * anchors (and its host name check), then {@link BackendChainCheck} with the staple JSSE received
 * in this handshake and the TLS policy of the trust root in use, read afresh at every handshake.
 * Client certificates (should the context ever serve) are judged by PKIX alone, as before.
 */
final class BackendTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final BackendChainCheck check;
    /** The verifier's policy source as the keystore's dynamic reference holds it; null while none is bound. */
    private final Supplier<BackendTlsPolicySource> policy;
    private final Clock clock;

    private BackendTrustManager(X509ExtendedTrustManager pkix, KeyStore anchors, Supplier<BackendTlsPolicySource> policy,
            Clock clock) {
        this.pkix = pkix;
        this.check = new BackendChainCheck(anchors);
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * @param policy the trust root's policy source, read at every handshake; while it yields
     *     {@code null} (no verifier running, so the pins and revocation mode of the trust root are
     *     unknown) every handshake is refused with {@code NO_TRUST_POLICY}: fail closed
     * @return the trust managers for an {@code SSLContext} that talks to the backend
     */
    static TrustManager[] forBackend(KeyStore anchors, Supplier<BackendTlsPolicySource> policy, Clock clock)
            throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new TrustManager[] {new BackendTrustManager(x, anchors, policy, clock)};
            }
        }
        throw new GeneralSecurityException("no X509ExtendedTrustManager from PKIX");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
        policyCheck(chain, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
        policyCheck(chain, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
        policyCheck(chain, null);
    }

    private void policyCheck(X509Certificate[] chain, SSLSession session) throws BackendChainRejectedException {
        byte[] staple = null;
        if (session instanceof ExtendedSSLSession x) {
            // One entry per certificate of the chain, leaf first; an empty entry means none (RFC 8446 4.4.2.1).
            List<byte[]> staples = x.getStatusResponses();
            staple = staples.isEmpty() ? null : staples.get(0);
        }
        BackendTlsPolicySource source = policy.get();
        if (source == null) {
            throw new BackendChainRejectedException(BackendChainCode.NO_TRUST_POLICY,
                    "the release verifier is not running, so the trust root's pins and revocation policy are unknown;"
                            + " the backend is refused until it runs");
        }
        check.check(List.of(chain), staple, source.current(), clock.instant());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
