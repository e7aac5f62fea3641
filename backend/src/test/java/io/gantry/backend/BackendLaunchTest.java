package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.config.BackendSettings;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's settings from file and flags, resolved and validated before anything listens. */
class BackendLaunchTest {
    @TempDir
    static Path tmp;
    static Path trust;

    @BeforeAll
    static void pki() throws Exception {
        PkiDirectory.create(tmp.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS, RevocationEndpoints.of("http://127.0.0.1:18099"),
                Clock.systemUTC());
        trust = new ReleaseKeys().write(tmp.resolve("trust/trust-root.json"), Instant.now().plus(Duration.ofDays(30)));
    }

    static BackendSettings.Values base() {
        return new BackendSettings.Values().set("data", tmp.resolve("data").toString(), "--data")
                .set("pki", tmp.resolve("pki").toString(), "--pki").set("trust-root", trust.toString(), "--trust-root");
    }

    @Test
    void defaultsFileAndFlagsWithFlagsWinning() throws Exception {
        Path file = tmp.resolve("backend.properties");
        Files.writeString(file, "# a service's file\nport = 9443\ntenant = acme\ndownload-flood-window = 1h\nest-reenroll-max = 5\n"
                + "downloads-per-artifact = 2\n");
        BackendSettings.Values v = BackendSettings.Values.fromFile(file);
        v.set("data", tmp.resolve("data").toString(), "--data").set("pki", tmp.resolve("pki").toString(), "--pki")
                .set("trust-root", trust.toString(), "--trust-root").set("port", "9444", "--port");
        BackendLaunch launch = BackendLaunch.resolve(v, Clock.systemUTC());
        assertEquals(9444, launch.config().port(), "the flag wins over the file");
        assertEquals("acme", launch.config().tenant(), "the file wins over the default");
        assertEquals(Duration.ofHours(1), launch.config().downloadQuota().window());
        assertEquals(2, launch.config().artifactDownloadLimit().downloads());
        assertEquals(Duration.ofHours(1), launch.config().artifactDownloadLimit().window());
        assertNull(launch.config().offload());
        assertTrue(launch.config().database().embedded());
        assertEquals(5, launch.service().reenrollment().maxPerWindow());
        assertEquals(18099, launch.config().revocationPort(), "the PKI's revocation URL names the CRL/OCSP port");
        assertEquals(8081, launch.service().healthPort());
        assertEquals(32, launch.service().httpThreads(), "the HTTPS listener's thread limit by default");
        assertEquals(Duration.ofSeconds(5), launch.config().pollingSleep());
        assertNull(launch.alerts());
        assertEquals("bc", launch.ec());
        assertEquals(io.gantry.backend.mqtt.MqttBrokerConfig.on("127.0.0.1", 8883), launch.mqtt(), "the MQTT broker runs by default");
    }

    @Test
    void theHttpsListenersThreadLimitIsASetting() throws Exception {
        assertEquals(12, BackendLaunch.resolve(base().set("http-threads", "12", "--http-threads"), Clock.systemUTC()).service().httpThreads());
    }

    @Test
    void theMqttBrokerIsOffWithPortMinusOneAndFollowsTheBindAddress() throws Exception {
        assertEquals(io.gantry.backend.mqtt.MqttBrokerConfig.OFF,
                BackendLaunch.resolve(base().set("mqtt-port", "-1", "--mqtt-port"), Clock.systemUTC()).mqtt());
        BackendLaunch launch = BackendLaunch.resolve(base().set("mqtt-port", "18883", "f.properties").set("bind", "0.0.0.0", "--bind"),
                Clock.systemUTC());
        assertEquals(io.gantry.backend.mqtt.MqttBrokerConfig.on("0.0.0.0", 18883), launch.mqtt());
    }

    @Test
    void badValuesStopTheStartWithAClearError() {
        assertMessage(base().set("port", "8081", "--port"), "port, revocation-port, health-port, metrics-port and mqtt-port must differ: 8081");
        assertMessage(base().set("mqtt-port", "8443", "--mqtt-port"), "port, revocation-port, health-port, metrics-port and mqtt-port must differ: 8443");
        assertMessage(base().set("mqtt-port", "-2", "--mqtt-port"), "setting mqtt-port (--mqtt-port): '-2' is not in -1..65535");
        assertMessage(base().set("tls-ec", "openssl", "f.properties"), "setting tls-ec (f.properties): must be bc or jdk");
        assertMessage(base().set("http-threads", "4", "--http-threads"), "setting http-threads (--http-threads): '4' is not in 8..10000");
        assertMessage(base().set("tenant", "rest", "--tenant"), "invalid configuration: tenant must be");
        assertMessage(base().set("trust-root", tmp.resolve("absent.json").toString(), "--trust-root"),
                "invalid configuration: release trust root not found");
        assertMessage(base().set("pki", tmp.resolve("no-pki").toString(), "--pki"), "setting pki (--pki): folder not found");
        assertMessage(base().set("alert-codes", "CERT_REVOKED", "--alert-codes"), "setting alert-codes (--alert-codes): needs alert-webhook");
        assertMessage(base().set("alert-webhook", "http://alerts.example.org/hook", "--alert-webhook"), "alert webhook");
        assertMessage(base().set("alert-webhook", "https://alerts.example.org/hook", "--alert-webhook")
                .set("alert-codes", "NO_SUCH_CODE", "--alert-codes"), "unknown failure code NO_SUCH_CODE");
        assertMessage(base().set("est-reenroll-window", "30s", "--est-reenroll-window"), "setting est-reenroll-window (--est-reenroll-window)");
        assertMessage(base().set("db-url", "jdbc:postgresql://127.0.0.1/gantry", "--db-url"),
                "setting db-url (--db-url) needs db-user and db-password-file");
        assertMessage(base().set("db-user", "gantry", "f.properties"), "settings db-user and db-password-file need db-url");
        assertMessage(base().set("offload-url", "https://cdn.example.org/a", "--offload-url"),
                "settings offload-url and offload-secret-file go together");
        assertMessage(base().set("db-url", "jdbc:postgresql://127.0.0.1/gantry", "--db-url"),
                "setting db-url (--db-url) needs db-user and db-password-file");
        assertMessage(base().set("db-user", "gantry", "f.properties"), "settings db-user and db-password-file need db-url");
        assertMessage(base().set("offload-url", "https://cdn.example.org/a", "--offload-url")
                .set("offload-secret-file", tmp.resolve("no-secret").toString(), "--offload-secret-file"), "offload secret file unreadable");
    }

    @Test
    void anExternalBrokerReplacesTheEmbeddedOneUnlessMqttPortIsGivenToo() throws Exception {
        PkiDirectory pki = PkiDirectory.open(tmp.resolve("pki"), Clock.systemUTC());
        Path store = pki.pushIdentityKeyStore("gantry-push");
        if (!Files.exists(store)) {
            pki.issuePushIdentity("gantry-push");
        }
        BackendLaunch launch = BackendLaunch.resolve(base().set("mqtt-broker-url", "ssl://mosquitto.example:8883", "--mqtt-broker-url")
                .set("mqtt-push-keystore", store.toString(), "f.properties"), Clock.systemUTC());
        assertEquals(io.gantry.backend.mqtt.MqttBrokerConfig.OFF, launch.mqtt());
        assertEquals(new io.gantry.backend.mqtt.ExternalBrokerConfig(java.net.URI.create("ssl://mosquitto.example:8883"), store,
                Path.of(store + ".pass"), tmp.resolve("pki/root/root-ca.pem"), Duration.ofSeconds(60)), launch.externalMqtt());
        BackendLaunch both = BackendLaunch.resolve(base().set("mqtt-broker-url", "ssl://mosquitto.example:8883", "--mqtt-broker-url")
                .set("mqtt-push-keystore", store.toString(), "f.properties").set("mqtt-port", "18883", "--mqtt-port"), Clock.systemUTC());
        assertEquals(io.gantry.backend.mqtt.MqttBrokerConfig.on("127.0.0.1", 18883), both.mqtt());
        assertNull(BackendLaunch.resolve(base(), Clock.systemUTC()).externalMqtt());

        assertMessage(base().set("mqtt-broker-url", "ssl://mosquitto.example:8883", "--mqtt-broker-url"),
                "setting mqtt-broker-url (--mqtt-broker-url) needs mqtt-push-keystore");
        assertMessage(base().set("mqtt-push-keystore", store.toString(), "f.properties"),
                "setting mqtt-push-keystore (f.properties) needs mqtt-broker-url");
        assertMessage(base().set("mqtt-broker-url", "tcp://mosquitto.example:1883", "--mqtt-broker-url")
                .set("mqtt-push-keystore", store.toString(), "f.properties"), "the broker URL must be ssl://HOST:PORT");
        assertMessage(base().set("mqtt-broker-url", "ssl://mosquitto.example:8883", "--mqtt-broker-url")
                .set("mqtt-push-keystore", tmp.resolve("absent.p12").toString(), "f.properties"), "file not found: ");
        Path wrong = Files.writeString(tmp.resolve("wrong.pass"), "not-the-password\n");
        assertMessage(base().set("mqtt-broker-url", "ssl://mosquitto.example:8883", "--mqtt-broker-url")
                .set("mqtt-push-keystore", store.toString(), "f.properties").set("mqtt-push-password-file", wrong.toString(), "f"),
                "cannot open the push identity's key store");
        assertMessage(base().set("mqtt-broker-url", "ssl://mosquitto.example:8883", "--mqtt-broker-url")
                .set("mqtt-push-keystore", store.toString(), "f.properties").set("mqtt-broker-ca", store.toString(), "f"),
                "as the broker's CA certificates");
    }

    static void assertMessage(BackendSettings.Values v, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendLaunch.resolve(v, Clock.systemUTC()));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
