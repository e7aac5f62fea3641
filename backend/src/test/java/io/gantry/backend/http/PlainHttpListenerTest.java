package io.gantry.backend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** The plain-HTTP listener the CRL/OCSP, health and metrics listeners are built on, with a real Jetty on loopback. */
class PlainHttpListenerTest {
    static final Handler HELLO = new Handler.Abstract() {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.write(true, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), callback);
            return true;
        }
    };

    @Test
    void servesOnItsPortWithoutNamingTheServerAndStops() throws Exception {
        Server jetty = PlainHttpListener.server("gantry-test-listener", 4, 1);
        URI base;
        try (PlainHttpListener listener = PlainHttpListener.start("test listener", jetty,
                PlainHttpListener.connector(jetty, PlainHttpListener.http(4096), "127.0.0.1", 0, 5_000, -1), HELLO)) {
            base = listener.baseUri();
            assertEquals("http://127.0.0.1:" + listener.port(), base.toString());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("hello", r.body());
            assertTrue(r.headers().firstValue("Server").isEmpty(), "no server version: " + r.headers().map());
        }
        assertTrue(jetty.isStopped());
    }

    @Test
    void aPortInUseIsAnIoExceptionNamingThePortAndTheServerIsStoppedAgain() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Server jetty = PlainHttpListener.server("gantry-test-taken", 4, 1);
            IOException e = assertThrows(IOException.class, () -> PlainHttpListener.start("test listener", jetty,
                    PlainHttpListener.connector(jetty, PlainHttpListener.http(4096), "127.0.0.1", taken.getLocalPort(), 5_000, 1),
                    HELLO));
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), "names the port: " + e.getMessage());
            assertTrue(jetty.isStopped(), "a half-started server is stopped again");
        }
    }
}
