package io.gantry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The demo's stand-in for an operator's alert endpoint (a chat or paging relay): a loopback HTTP
 * server that keeps the JSON alerts the backend posts (docs/backend-api.md, "Operator alerts").
 */
final class DemoAlertInbox implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<JsonNode> alerts = new CopyOnWriteArrayList<>();

    DemoAlertInbox() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/alerts", exchange -> {
            alerts.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
    }

    /**
     * Waits until alerts with every code in {@code codes} arrived.
     *
     * @return one entry per alert received so far: {@code CODE (subject)}
     */
    List<String> await(Set<String> codes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!alerts.stream().map(a -> a.path("code").asText()).collect(Collectors.toSet()).containsAll(codes)) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("operator alerts " + codes + " not delivered; got " + alerts);
            }
            Thread.sleep(100);
        }
        return alerts.stream().map(a -> a.path("code").asText() + " (" + a.path("subject").asText() + ")").toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
