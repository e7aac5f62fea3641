package io.gantry.backend.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An operator's alert endpoint on loopback (the JDK's HTTP server): keeps every JSON document it
 * accepted; while {@link #status} is not 2xx it answers that status and keeps nothing.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    /** Documents accepted, in arrival order. */
    public final List<JsonNode> received = new CopyOnWriteArrayList<>();
    /** The status answered next. */
    public volatile int status = 204;
    /** How long each answer takes, in milliseconds (a slow relay). */
    public volatile long delayMillis;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.createContext("/alerts", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int answer = status;
            if (answer / 100 == 2) {
                received.add(JSON.readTree(body));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    /** @return the webhook URL ({@code http} on loopback, which {@link AlertWebhook} allows) */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
    }

    /** @return the codes received, in order */
    public List<String> codes() {
        return received.stream().map(n -> n.get("code").asText()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
