package io.gantry.backend.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager, followed for client chains by a {@link ClientCertificateCheck}:
 * a revoked or unknown client certificate fails the handshake itself, before any HTTP is parsed.
 * Server-side only: {@code checkServerTrusted} is delegated unchanged.
 */
final class CheckingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager pkix;
    private final ClientCertificateCheck check;

    CheckingTrustManager(X509ExtendedTrustManager pkix, ClientCertificateCheck check) {
        this.pkix = Objects.requireNonNull(pkix, "pkix");
        this.check = Objects.requireNonNull(check, "check");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        afterPkix(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        afterPkix(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        afterPkix(chain);
    }

    private void afterPkix(X509Certificate[] chain) throws CertificateException {
        ClientCertificateCheck.Refusal refusal = check.check(chain);
        if (refusal != null) {
            throw new ClientCertificateRefusedException(refusal, RequestOrigin.subjectOf(chain));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }
}
