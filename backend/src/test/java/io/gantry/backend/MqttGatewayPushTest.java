package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.agent.CheckInTrigger;
import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.backend.mqtt.DeviceStatusBoard;
import io.gantry.backend.mqtt.EmbeddedBroker;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.transport.mqtt.internal.MqttTransport;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's MQTT transport (bundle io.gantry.transport.mqtt, run here outside a framework)
 * against the backend's embedded broker over mutual TLS with the device's certificate: an
 * assignment reaches the agent's {@link CheckInTrigger} at once and the transport reports it on
 * its status topic; a successor instance (the bundle replaced) connects afresh and is reached too.
 */
class MqttGatewayPushTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void assignmentTriggersAnImmediatePollOnTheGatewayAlsoAfterTheTransportIsReplaced() throws Exception {
        try (BackendFixture backend = new BackendFixture(tmp, c -> c, null, MqttBrokerConfig.on("127.0.0.1", 0))) {
            EmbeddedBroker broker = backend.server.mqttBroker().orElseThrow();
            DeviceStatusBoard board = broker.statuses();
            backend.pki.issueDevice("gw-e2e");
            DeviceIdentity identity = identity("gw-e2e", backend.pki.loadDevice("gw-e2e"), backend.pki.rootCaPem());
            Semaphore polls = new Semaphore(0);
            CheckInTrigger trigger = new CheckInTrigger() {
                @Override
                public void checkInNow() {
                    polls.release();
                }

                @Override
                public java.util.concurrent.CompletionStage<Void> checkInNowAnswered() {
                    // An agent whose poll the backend answered at once.
                    polls.release();
                    return java.util.concurrent.CompletableFuture.completedFuture(null);
                }
            };
            String status = "gantry/v1/devices/gw-e2e/status/";

            MqttTransport first = new MqttTransport(identity, trigger, broker.uri(), 5);
            assertTrue(board.await("gw-e2e", status + "online", WAIT).isPresent(), "transport never came online");
            long start = System.nanoTime();
            backend.uploadAndAssign(backend.operator("ops"), backend.good("fw-a", "1.0.0", Map.of("a.bin", new byte[] {1})), "gw-e2e");
            assertTrue(polls.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS), "no check-in triggered");
            System.out.printf("MQTT push: assignment request to the agent's checkInNow in %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);
            DeviceStatusBoard.DeviceStatus pushed = board.await("gw-e2e", status + "push", WAIT).orElseThrow(
                    () -> new AssertionError("no push status from the gateway"));
            assertTrue(pushed.payload().matches("\\{\"command\":\"checkIn\",\"actionId\":[0-9]+,\"polled\":true,\"pollMs\":[0-9]+}"),
                    pushed.payload());
            first.deactivate();

            MqttTransport successor = new MqttTransport(identity, trigger, broker.uri(), 5);
            try {
                assertTrue(board.await("gw-e2e", status + "online", WAIT).isPresent(), "successor never came online");
                backend.uploadAndAssign(backend.operator("ops"), backend.good("fw-b", "1.0.0", Map.of("b.bin", new byte[] {2})), "gw-e2e");
                assertTrue(polls.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS), "successor: no check-in triggered");
            } finally {
                successor.deactivate();
            }
        }
    }

    private static DeviceIdentity identity(String id, ProtectedKeyStore keys, Path rootCaPem) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys.keyStore(), keys.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(io.gantry.pki.PemCertificates.trustStore(rootCaPem));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        List<X509Certificate> chain = keys.chain();
        return new DeviceIdentity() {
            @Override
            public String deviceId() {
                return id;
            }

            @Override
            public List<X509Certificate> certificateChain() {
                return chain;
            }

            @Override
            public SSLContext sslContext() {
                return tls;
            }
        };
    }
}
