package io.gantry.backend.http;

import java.io.IOException;
import java.net.URI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small plain-HTTP Jetty server of its own (one connector, one handler), as the backend runs for
 * CRL/OCSP, health and metrics beside its mutual-TLS port: the pieces they share (a named thread
 * pool, an HTTP configuration that names no server version, a connector on one address) and the
 * start that stops a half-started server again and reports it as an {@link IOException}.
 */
public final class PlainHttpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlainHttpListener.class);
    private final Server jetty;
    private final ServerConnector connector;
    private final String name;

    private PlainHttpListener(Server jetty, ServerConnector connector, String name) {
        this.jetty = jetty;
        this.connector = connector;
        this.name = name;
    }

    /** @return a Jetty server on a thread pool named {@code threadName} of {@code minThreads}..{@code maxThreads} */
    public static Server server(String threadName, int maxThreads, int minThreads) {
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, minThreads);
        threads.setName(threadName);
        return new Server(threads);
    }

    /** @return an HTTP configuration that sends no {@code Server} or {@code X-Powered-By} header, headers up to {@code maxHeaderBytes} */
    public static HttpConfiguration http(int maxHeaderBytes) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(maxHeaderBytes);
        return http;
    }

    /**
     * @param acceptorsAndSelectors Jetty's acceptor and selector threads each, or -1 for Jetty's defaults
     * @return a connector on {@code host:port} (0: ephemeral) closing connections idle for {@code idleMillis}
     */
    public static ServerConnector connector(Server jetty, HttpConfiguration http, String host, int port, long idleMillis,
            int acceptorsAndSelectors) {
        ServerConnector connector = new ServerConnector(jetty, acceptorsAndSelectors, acceptorsAndSelectors,
                new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(idleMillis);
        return connector;
    }

    /**
     * Adds the connector and handler and starts the server; a server that fails to start is stopped again.
     *
     * @param name what the listener is, for messages ("metrics listener")
     * @throws IOException if it cannot start (the port cannot be bound, ...)
     */
    public static PlainHttpListener start(String name, Server jetty, ServerConnector connector, Handler handler) throws IOException {
        jetty.addConnector(connector);
        jetty.setHandler(handler);
        jetty.setStopAtShutdown(false);
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception stop) {
                e.addSuppressed(stop);
            }
            throw e instanceof IOException io ? io : new IOException("cannot start the " + name + ": " + e.getMessage(), e);
        }
        return new PlainHttpListener(jetty, connector, name);
    }

    /** @return the bound port */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return {@code http://host:port} of this listener */
    public URI baseUri() {
        return ConnectorUris.of("http", connector);
    }

    /** Stops the server; a failure is logged, not thrown. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("error stopping the {}", name, e);
        }
    }
}
