package io.gantry.backend.metrics;

import io.gantry.backend.http.PlainHttpListener;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in the Prometheus text format (version 0.0.4) on a listener of its own, plain
 * HTTP, bound to {@code metrics-bind} (loopback by default). It serves no other path (404) and no
 * other method (405). Why its own listener, and not the mutual-TLS port: a scraper should not hold a
 * device or operator certificate that can also act on the fleet, and the counts it shows (no device
 * ids, no subjects, no addresses) are safe for the host's own monitoring agent; binding it beyond
 * loopback is a named setting (docs/metrics.md, "Where it is served").
 */
public final class MetricsListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsListener.class);
    private final PlainHttpListener listener;

    private MetricsListener(PlainHttpListener listener) {
        this.listener = listener;
    }

    /**
     * @param host address to bind (loopback unless the operator chose otherwise)
     * @param port TCP port, 0 for an ephemeral one
     * @param metrics what to expose
     * @throws IOException if the port cannot be bound
     */
    public static MetricsListener start(String host, int port, BackendMetrics metrics) throws IOException {
        Objects.requireNonNull(metrics, "metrics");
        Server jetty = PlainHttpListener.server("gantry-metrics", 4, 1);
        ServerConnector connector = PlainHttpListener.connector(jetty, PlainHttpListener.http(4096), host, port, 10_000, 1);
        PlainHttpListener listener = PlainHttpListener.start("metrics listener", jetty, connector, new Exposition(metrics));
        LOG.info("metrics on http://{}:{}/metrics", host, listener.port());
        return new MetricsListener(listener);
    }

    /** @return {@code http://host:port/metrics} */
    public URI uri() {
        return listener.baseUri().resolve("/metrics");
    }

    @Override
    public void close() {
        listener.close();
    }

    /** The handler: one scrape of the registry per request, written whole before it is sent. */
    private static final class Exposition extends Handler.Abstract {
        private final BackendMetrics metrics;
        private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

        Exposition(BackendMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            if (!request.getHttpURI().getPath().equals("/metrics")) {
                Response.writeError(request, response, callback, 404);
                return true;
            }
            if (!HttpMethod.GET.is(request.getMethod())) {
                Response.writeError(request, response, callback, 405);
                return true;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            writer.write(body, metrics.registry().scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
            byte[] bytes = body.toByteArray();
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return true;
        }
    }
}
