package io.gantry.backend.tls;

import io.gantry.backend.config.BackendConfig;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Builds the backend's only connector: HTTPS (TLS 1.3 and 1.2) that requires a client
 * certificate chaining to the configured trust anchor. A client without one, or with one from
 * another CA, fails the handshake and never reaches HTTP; the given {@link SslHandshakeListener}
 * hears about every handshake (the backend records failures as security events).
 *
 * <p>Before the first connector is built, the JVM's elliptic-curve arithmetic is chosen by the
 * system property {@value #EC_PROPERTY}: {@code bc} (the default) installs
 * {@link BouncyCastleEcProvider} as the first provider, which about halves the server's CPU time
 * per full handshake (docs/benchmarks.md, "Mutual-TLS handshakes"); {@code jdk} keeps the JDK's
 * providers (SunEC). Either way SunJSSE does TLS, with OCSP stapling, and the JDK does PKIX.
 */
public final class HttpsConnectors {
    /** System property naming the EC implementation of the backend JVM: {@code bc} (default) or {@code jdk}. */
    public static final String EC_PROPERTY = "gantry.tls.ec";

    private HttpsConnectors() {
    }

    /**
     * @param server the Jetty server
     * @param config where to bind and which keys and trust anchor to use
     * @param handshakes told of every handshake on this connector
     * @return a mutual-TLS connector for {@code server}, bound as {@code config} says
     */
    public static ServerConnector mutualTls(Server server, BackendConfig config, SslHandshakeListener handshakes)
            throws IOException, GeneralSecurityException {
        return mutualTls(server, config, handshakes, chain -> null);
    }

    /**
     * As {@link #mutualTls(Server, BackendConfig, SslHandshakeListener)}, and every client chain PKIX
     * accepts must also pass {@code clientCheck} (revocation) or the handshake fails.
     */
    public static ServerConnector mutualTls(Server server, BackendConfig config, SslHandshakeListener handshakes,
            ClientCertificateCheck clientCheck) throws IOException, GeneralSecurityException {
        installEcProvider();
        ProtectedKeyStore keys = Pkcs12Files.load(config.serverKeyStore(), config.serverKeyStorePasswordFile());
        SslContextFactory.Server tls = new SslContextFactory.Server() {
            @Override
            protected TrustManager[] getTrustManagers(KeyStore trustStore, Collection<? extends CRL> crls) throws Exception {
                TrustManager[] managers = super.getTrustManagers(trustStore, crls);
                for (int i = 0; i < managers.length; i++) {
                    if (managers[i] instanceof X509ExtendedTrustManager pkix) {
                        managers[i] = new CheckingTrustManager(pkix, clientCheck);
                    }
                }
                return managers;
            }
        };
        tls.setKeyStore(keys.keyStore());
        tls.setKeyStorePassword(new String(keys.password()));
        tls.setTrustStore(PemCertificates.trustStore(config.clientTrustAnchor()));
        tls.setNeedClientAuth(true);
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // Clients connect by IP address, so there is often no SNI name to check.
        tls.setSniRequired(false);
        tls.setEndpointIdentificationAlgorithm(null);

        HttpConfiguration http = new HttpConfiguration();
        http.setSecureScheme("https");
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);

        SslConnectionFactory ssl = new SslConnectionFactory(tls, "http/1.1");
        // SslConnectionFactory hands its SslHandshakeListener beans to every SslConnection it creates.
        ssl.addBean(handshakes);
        ServerConnector connector = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
        connector.setHost(config.bindHost());
        connector.setPort(config.port());
        return connector;
    }

    /**
     * Applies {@value #EC_PROPERTY} to this JVM (once; later calls change nothing).
     *
     * @throws IllegalArgumentException if the property has another value than {@code bc} or {@code jdk}
     */
    static void installEcProvider() {
        String ec = System.getProperty(EC_PROPERTY, "bc");
        switch (ec) {
            case "bc" -> BouncyCastleEcProvider.install();
            case "jdk" -> { }
            default -> throw new IllegalArgumentException(EC_PROPERTY + " must be bc or jdk, not " + ec);
        }
    }
}
