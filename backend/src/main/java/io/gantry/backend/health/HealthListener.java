package io.gantry.backend.health;

import io.gantry.backend.db.Database;
import io.gantry.backend.http.PlainHttpListener;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * {@code GET /health} over plain HTTP, for load balancers and service managers, which hold no client
 * certificate: {@code 200 {"status":"UP","ready":true,"database":"UP"}} when the backend has started
 * all its listeners and is not stopping, and a connection from the pool answers {@code isValid} within
 * {@link #DATABASE_TIMEOUT}; otherwise {@code 503} with {@code "status":"DOWN"} and what is wrong. It
 * says nothing else about the backend (no versions, no counts) and serves no other path (404).
 */
public final class HealthListener implements AutoCloseable {
    /** Longest wait for the database's answer before the probe reports it DOWN. */
    public static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(HealthListener.class);
    private final PlainHttpListener listener;
    private final ExecutorService probes;

    private HealthListener(PlainHttpListener listener, ExecutorService probes) {
        this.listener = listener;
        this.probes = probes;
    }

    /**
     * @param host address to bind
     * @param port TCP port, 0 for an ephemeral one
     * @param database the database whose connection is checked
     * @param ready whether the backend is started and not stopping
     * @throws IOException if the port cannot be bound
     */
    public static HealthListener start(String host, int port, Database database, BooleanSupplier ready) throws IOException {
        Server jetty = PlainHttpListener.server("gantry-health", 8, 2);
        ServerConnector connector = PlainHttpListener.connector(jetty, PlainHttpListener.http(4096), host, port, 5_000, -1);
        ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gantry-health-db");
            t.setDaemon(true);
            return t;
        });
        PlainHttpListener listener;
        try {
            listener = PlainHttpListener.start("health listener", jetty, connector,
                    new Probe(Objects.requireNonNull(database, "database"), Objects.requireNonNull(ready, "ready"), probes));
        } catch (IOException | RuntimeException e) {
            probes.shutdownNow();
            throw e;
        }
        LOG.info("health on http://{}:{}/health", host, listener.port());
        return new HealthListener(listener, probes);
    }

    /** @return {@code http://host:port/health} */
    public URI uri() {
        return listener.baseUri().resolve("/health");
    }

    @Override
    public void close() {
        try {
            listener.close();
        } finally {
            probes.shutdownNow();
        }
    }

    /** The handler: readiness, then one database check bounded by {@link #DATABASE_TIMEOUT}. */
    private static final class Probe extends Handler.Abstract {
        private final Database database;
        private final BooleanSupplier ready;
        private final ExecutorService probes;

        Probe(Database database, BooleanSupplier ready, ExecutorService probes) {
            this.database = database;
            this.ready = ready;
            this.probes = probes;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!request.getHttpURI().getPath().equals("/health")
                    || !(HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod()))) {
                Response.writeError(request, response, callback, 404);
                return true;
            }
            boolean isReady = ready.getAsBoolean();
            String db = databaseState();
            boolean up = isReady && db.equals("UP");
            String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"ready\":" + isReady + ",\"database\":\"" + db + "\"}\n";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setStatus(up ? 200 : 503);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes), callback);
            return true;
        }

        /** @return UP, DOWN or TIMEOUT */
        private String databaseState() {
            CompletableFuture<Boolean> check = CompletableFuture.supplyAsync(() -> {
                try (Connection c = database.dataSource().getConnection()) {
                    return c.isValid((int) DATABASE_TIMEOUT.toSeconds());
                } catch (Exception e) {
                    LOG.warn("health: database unavailable: {}", e.getMessage());
                    return false;
                }
            }, probes);
            try {
                return check.get(DATABASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) ? "UP" : "DOWN";
            } catch (java.util.concurrent.TimeoutException e) {
                check.cancel(true);
                return "TIMEOUT";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "DOWN";
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.RejectedExecutionException e) {
                return "DOWN";
            }
        }
    }
}
