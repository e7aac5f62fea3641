package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateReport;
import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.testing.TestConfigs;
import io.gantry.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a {@code CheckInTrigger} (what the MQTT transport calls on a command): with the
 * backend asking for a poll every hour, a trigger makes the agent poll at once, and triggers that
 * arrive while a poll is pending collapse into it.
 */
class CheckInTriggerTest {
    @TempDir
    Path dir;
    private HttpsServer server;
    private TestPki pki;
    private final AtomicInteger polls = new AtomicInteger();
    private final Semaphore polled = new Semaphore(0);

    @BeforeEach
    void startStub() throws Exception {
        pki = new TestPki();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext()));
        server.createContext("/DEFAULT/controller/v1/gw-1", this::handle);
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        polls.incrementAndGet();
        byte[] body = "{\"config\":{\"polling\":{\"sleep\":\"01:00:00\"}},\"_links\":{}}".getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
        polled.release();
    }

    @Test
    void aTriggerPollsAtOnceInsteadOfAfterTheHourTheBackendAsked() throws Exception {
        DdiPoller poller = poller();
        try {
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "first poll at activation");
            long start = System.nanoTime();
            poller.checkInNow();
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "a poll after the trigger, not an hour later");
            System.out.printf("poll %d ms after checkInNow%n", (System.nanoTime() - start) / 1_000_000);
            poller.checkInNow();
            poller.checkInNow();
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "a poll after two more triggers");
        } finally {
            poller.deactivate();
        }
        // Two triggers while one poll was pending or running: at most one extra poll, never a second chain.
        int after = polls.get();
        assertTrue(after >= 3 && after <= 4, "polls: " + after);
        assertEquals(after, polls.get());
    }

    @Test
    void anAnsweredTriggerCompletesOnlyAfterTheBackendAnsweredItsPoll() throws Exception {
        DdiPoller poller = poller();
        try {
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "first poll at activation");
            int before = polls.get();
            java.util.concurrent.CompletableFuture<Void> answered = poller.checkInNowAnswered().toCompletableFuture();
            answered.get(20, TimeUnit.SECONDS);
            assertTrue(polls.get() > before, "completed before the backend saw a new poll");
        } finally {
            poller.deactivate();
        }
        java.util.concurrent.CompletableFuture<Void> late = poller.checkInNowAnswered().toCompletableFuture();
        assertTrue(late.isCompletedExceptionally(), "a stopped agent polls no more: the caller is told at once");
    }

    @Test
    void anAnsweredTriggerFailsWhenThePollFails() throws Exception {
        DdiPoller poller = poller();
        try {
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "first poll at activation");
            server.stop(0);
            java.util.concurrent.CompletableFuture<Void> answered = poller.checkInNowAnswered().toCompletableFuture();
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> answered.get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof IOException, e.toString());
        } finally {
            poller.deactivate();
        }
    }

    private DdiPoller poller() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", pki.root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        DeviceIdentity identity = new DeviceIdentity() {
            @Override
            public String deviceId() {
                return "gw-1";
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
        UpdateAgent agent = new UpdateAgent() {
            @Override
            public UpdateReport apply(io.gantry.api.verify.ReleaseSource source) {
                throw new AssertionError("nothing is assigned");
            }

            @Override
            public Optional<UpdateReport> start(io.gantry.api.verify.ReleaseSource source, String transactionId) {
                throw new AssertionError("nothing is assigned");
            }

            @Override
            public Optional<UpdateReport> settle(String transactionId, io.gantry.api.verify.ReleaseSource release) {
                throw new AssertionError("nothing is pending");
            }
        };
        return new DdiPoller(identity, agent, TestConfigs.of(DdiAgentConfig.class)
                .with("backendUrl", "https://127.0.0.1:" + server.getAddress().getPort(), "pollSeconds", 3600).build(),
                dir.resolve("reports"));
    }
}
