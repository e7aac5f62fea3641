package io.gantry.backend.revocation;

import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's plain-HTTP listener for CRL and OCSP ({@link RevocationHandler}). It is a Jetty
 * server of its own rather than a second connector on the HTTPS server, so no handler of the
 * device or management API is even in its tree. The backend starts it before the HTTPS connector,
 * so the responder answers from the first handshake on (the HTTPS side staples its answers).
 */
public final class RevocationHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationHttpServer.class);
    private final Server jetty;
    private final ServerConnector connector;

    private RevocationHttpServer(Server jetty, ServerConnector connector) {
        this.jetty = jetty;
        this.connector = connector;
    }

    /**
     * @param host address to bind
     * @param port TCP port, 0 for an ephemeral one
     * @throws IOException if the port cannot be bound
     */
    public static RevocationHttpServer start(String host, int port, CrlPublisher crl, OcspResponder ocsp) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("gantry-revocation");
        Server jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // OCSP GET carries base64 in the path, URL-encoded: '/' arrives as %2F (RFC 6960 A.1).
        http.setUriCompliance(UriCompliance.DEFAULT.with("ocsp-get", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        jetty.setHandler(new RevocationHandler(crl, ocsp));
        jetty.setStopAtShutdown(false);
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception stop) {
                e.addSuppressed(stop);
            }
            throw e instanceof IOException io ? io : new IOException("cannot start the revocation listener: " + e.getMessage(), e);
        }
        LOG.info("CRL and OCSP on http://{}:{}", host, connector.getLocalPort());
        return new RevocationHttpServer(jetty, connector);
    }

    /** @return the bound port */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return {@code http://host:port} of this listener */
    public URI baseUri() {
        return io.gantry.backend.http.ConnectorUris.of("http", connector);
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("error stopping the revocation listener", e);
        }
    }
}
