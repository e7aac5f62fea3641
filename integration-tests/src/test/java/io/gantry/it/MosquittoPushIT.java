package io.gantry.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.ServiceSettings;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.mqtt.ExternalBroker;
import io.gantry.backend.mqtt.ExternalBrokerConfig;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.fleet.MosquittoProcess;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As {@link MqttPushIT}, with Debian's Mosquitto as the external broker (docs/mqtt.md, "External
 * broker"): the backend publishes there as its push identity, the transport bundle inside the real
 * gateway connects there with its device certificate; with the backend asking for a poll every
 * hour, an assignment's {@code checkIn} makes the gateway poll at once, install and report, and the
 * transport's {@code status/push} reaches the backend through Mosquitto.
 */
class MosquittoPushIT {
    static final String GATEWAY = "gw-mosquitto";
    static final Duration TIMEOUT = CheckInPushScenario.TIMEOUT;
    static final Duration POLLING_INTERVAL = CheckInPushScenario.POLLING_INTERVAL;

    @TempDir
    Path work;

    @Test
    void aCheckInPushMakesTheGatewayPollAtOnceAndItsStatusReachesTheBackend() throws Exception {
        Clock clock = Clock.systemUTC();
        int revocationPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            revocationPort = s.getLocalPort();
        }
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:" + revocationPort), clock);
        pki.issueDevice(GATEWAY);
        Path pushStore = pki.issuePushIdentity(MosquittoProcess.PUSH_IDENTITY);
        pki.issueOperator("operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), TrustRootFixture.hardFailPinning(pki.rootCaPem()),
                List.of("alice", "bob"), 0, 1);
        ReleaseFixture releases = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")),
                "alice", clock);
        try (MosquittoProcess mosquitto = MosquittoProcess.configure(work.resolve("mosquitto"), pki, null).start();
                BackendServer backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trust)
                .withPollingSleep(POLLING_INTERVAL).withRevocationPort(revocationPort), ServiceSettings.DEFAULT,
                EnrollmentConfig.fromPki(pki), null, MqttBrokerConfig.OFF, new ExternalBrokerConfig(URI.create(mosquitto.uri()),
                        pushStore, ExternalBrokerConfig.defaultPasswordFile(pushStore), pki.rootCaPem(), Duration.ofSeconds(5)), clock)) {
            ExternalBroker broker = backend.mqttClient().orElseThrow();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!broker.connected() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(broker.connected(), "the backend did not connect to Mosquitto");
            CheckInPushScenario.run("via Mosquitto", work, pki, trust, releases, backend, GATEWAY, mosquitto.uri(), broker.statuses(),
                    broker::lastPushed);
        }
    }
}
