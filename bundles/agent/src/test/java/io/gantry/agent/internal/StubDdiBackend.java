package io.gantry.agent.internal;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.testing.TestConfigs;
import io.gantry.testing.TestPki;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A hawkBit DDI backend stub for the gateway {@code gw-1}: the JDK's HTTPS server on loopback with a
 * certificate from a fresh {@link TestPki}, answering every request under the controller's base with
 * the test's handler, and pollers that trust only that PKI's root.
 */
final class StubDdiBackend implements AutoCloseable {
    static final String DEVICE = "gw-1";
    private final TestPki pki;
    private final HttpsServer server;

    StubDdiBackend(HttpHandler handler) throws Exception {
        pki = new TestPki();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext()));
        server.createContext("/DEFAULT/controller/v1/" + DEVICE, handler);
        server.start();
    }

    /** @return the stub's URL, as the agent's {@code backendUrl} */
    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** @return the controller's base resource, where links in answers point */
    String controllerBase() {
        return url() + "/DEFAULT/controller/v1/" + DEVICE;
    }

    /** Stops answering: connections are refused from now on. */
    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }

    /** @return a poller for {@code gw-1} polling this stub every {@code pollSeconds} (until the stub says otherwise) */
    DdiPoller poller(UpdateAgent agent, int pollSeconds, Path reports) throws Exception {
        return new DdiPoller(identity(), agent, TestConfigs.of(DdiAgentConfig.class)
                .with("backendUrl", url(), "pollSeconds", pollSeconds).build(), reports);
    }

    private DeviceIdentity identity() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", pki.root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return new DeviceIdentity() {
            @Override
            public String deviceId() {
                return DEVICE;
            }

            @Override
            public List<X509Certificate> certificateChain() {
                return List.of();
            }

            @Override
            public SSLContext sslContext() {
                return tls;
            }
        };
    }
}
