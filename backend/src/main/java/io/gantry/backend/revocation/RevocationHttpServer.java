package io.gantry.backend.revocation;

import io.gantry.backend.config.RevocationListenerLimits;
import io.gantry.backend.http.PlainHttpListener;
import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's plain-HTTP listener for CRL and OCSP ({@link RevocationHandler}). It is a Jetty
 * server of its own rather than a second connector on the HTTPS server, so no handler of the
 * device or management API is even in its tree. The backend starts it before the HTTPS connector,
 * so the responder answers from the first handshake on (the HTTPS side staples its answers).
 *
 * <p>Slow clients cannot starve it ({@link RevocationListenerLimits}): headers are parsed and
 * request bodies read without holding a thread, a connection silent for the idle timeout is closed,
 * connections are capped, and requests over the size limit are refused from their headers (413 or
 * 431). The CRL and OCSP answers come from their caches ({@link CrlPublisher}, {@link OcspResponder}).
 */
public final class RevocationHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationHttpServer.class);
    private final PlainHttpListener listener;

    private RevocationHttpServer(PlainHttpListener listener) {
        this.listener = listener;
    }

    /** As {@link #start(String, int, CrlPublisher, OcspResponder, RevocationListenerLimits)} with {@link RevocationListenerLimits#DEFAULT}. */
    public static RevocationHttpServer start(String host, int port, CrlPublisher crl, OcspResponder ocsp) throws IOException {
        return start(host, port, crl, ocsp, RevocationListenerLimits.DEFAULT);
    }

    /**
     * @param host address to bind
     * @param port TCP port, 0 for an ephemeral one
     * @param limits idle timeout, connection cap and request size
     * @throws IOException if the port cannot be bound
     */
    public static RevocationHttpServer start(String host, int port, CrlPublisher crl, OcspResponder ocsp,
            RevocationListenerLimits limits) throws IOException {
        Server jetty = PlainHttpListener.server("gantry-revocation", 16, 2);
        HttpConfiguration http = PlainHttpListener.http(limits.maxRequestBytes());
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        // OCSP GET carries base64 in the path, URL-encoded: '/' arrives as %2F (RFC 6960 A.1).
        http.setUriCompliance(UriCompliance.DEFAULT.with("ocsp-get", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = PlainHttpListener.connector(jetty, http, host, port, limits.idleTimeout().toMillis(), -1);
        jetty.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        PlainHttpListener listener = PlainHttpListener.start("revocation listener", jetty, connector,
                new RevocationHandler(crl, ocsp, limits.maxRequestBytes()));
        LOG.info("CRL and OCSP on http://{}:{}", host, listener.port());
        return new RevocationHttpServer(listener);
    }

    /** @return the bound port */
    public int port() {
        return listener.port();
    }

    /** @return {@code http://host:port} of this listener */
    public URI baseUri() {
        return listener.baseUri();
    }

    @Override
    public void close() {
        listener.close();
    }
}
