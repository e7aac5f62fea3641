package io.gantry.backend.tls;

import io.gantry.backend.config.BackendConfig;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
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
 *
 * <p>Renegotiation is refused ({@link #REJECT_RENEGOTIATION_PROPERTY} and Jetty's own switch): a TLS 1.2
 * client that asks for a second handshake on a connection loses the connection.
 */
public final class HttpsConnectors {
    /** System property naming the EC implementation of the backend JVM: {@code bc} (default) or {@code jdk}. */
    public static final String EC_PROPERTY = "gantry.tls.ec";
    /** JSSE system property that makes a server refuse client-initiated TLS 1.2 renegotiation. */
    public static final String REJECT_RENEGOTIATION_PROPERTY = "jdk.tls.rejectClientInitiatedRenegotiation";

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
        return mutualTls(server, config, handshakes, chain -> null, List.of());
    }

    /**
     * As {@link #mutualTls(Server, BackendConfig, SslHandshakeListener)}, and every client chain PKIX
     * accepts must also pass {@code clientCheck} (revocation) or the handshake fails.
     *
     * @param issuingCas the backend's own issuing CA certificates: a client that sends only its leaf
     *     (common on device stacks) is accepted when PKIX completes the path through one of them to
     *     the trust anchor; they are path-building material, never anchors
     */
    public static ServerConnector mutualTls(Server server, BackendConfig config, SslHandshakeListener handshakes,
            ClientCertificateCheck clientCheck, List<X509Certificate> issuingCas) throws IOException, GeneralSecurityException {
        installEcProvider();
        System.setProperty(REJECT_RENEGOTIATION_PROPERTY, "true");
        ProtectedKeyStore keys = Pkcs12Files.load(config.serverKeyStore(), config.serverKeyStorePasswordFile());
        SslContextFactory.Server tls = new SslContextFactory.Server() {
            @Override
            protected TrustManager[] getTrustManagers(KeyStore trustStore, Collection<? extends CRL> crls) throws Exception {
                TrustManager[] managers = pathCompleting(trustStore, issuingCas);
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
        // No renegotiation (TLS 1.2; 1.3 has none): a client-initiated one costs the server a full
        // handshake for free and could swap the identity under a live connection. Jetty 12 closes the
        // connection when a second handshake starts; the JSSE property set by the backend refuses it too.
        tls.setRenegotiationAllowed(false);
        tls.setRenegotiationLimit(0);
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
     * PKIX trust managers over {@code anchors} that may take intermediates from {@code issuingCas}
     * to complete a client's path. Revocation is off here: the registry check that wraps them
     * ({@link CheckingTrustManager}) decides it, as for full chains.
     */
    private static TrustManager[] pathCompleting(KeyStore anchors, List<X509Certificate> issuingCas)
            throws GeneralSecurityException {
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
        params.setRevocationEnabled(false);
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(issuingCas)));
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(new CertPathTrustManagerParameters(params));
        return factory.getTrustManagers();
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
