package io.gantry.it;

import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.ServiceSettings;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.mqtt.EmbeddedBroker;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT transport bundle inside the real gateway (Felix, its own JVM, the distribution's
 * bundles) against the backend's embedded broker over mutual TLS with the gateway's device
 * certificate: with the backend asking for a poll every hour, an assignment's {@code checkIn}
 * push makes the gateway poll at once, install and report; the transport's {@code status/push}
 * reaches the backend and says how soon the poll was answered.
 */
class MqttPushIT {
    static final String GATEWAY = "gw-mqtt";
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
        pki.issueOperator("operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), TrustRootFixture.hardFailPinning(pki.rootCaPem()),
                List.of("alice", "bob"), 0, 1);
        ReleaseFixture releases = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")),
                "alice", clock);
        try (BackendServer backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trust)
                .withPollingSleep(POLLING_INTERVAL).withRevocationPort(revocationPort), ServiceSettings.DEFAULT,
                EnrollmentConfig.fromPki(pki), null, MqttBrokerConfig.on("127.0.0.1", 0), clock)) {
            EmbeddedBroker broker = backend.mqttBroker().orElseThrow();
            CheckInPushScenario.run("via the embedded broker", work, pki, trust, releases, backend, GATEWAY, broker.uri(),
                    broker.statuses(), broker::lastPushed);
        }
    }
}
