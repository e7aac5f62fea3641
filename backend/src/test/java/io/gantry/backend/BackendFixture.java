package io.gantry.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.backend.alerts.AlertWebhook;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.ServiceSettings;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.release.TrustRoot;
import io.gantry.testing.TestReleases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A running backend on loopback with a fresh PKI, a real signed two-person trust root
 * ({@link ReleaseKeys}, valid for a year), a release builder and helpers to call it.
 */
final class BackendFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final Path dir;
    final PkiDirectory pki;
    /** The keys of the trust root the backend checks releases against. */
    final ReleaseKeys keys = new ReleaseKeys();
    /** Builds the archives tests upload, genuine or crafted. */
    final TestReleases releases;
    final BackendServer server;
    /** The configuration the server started with (EST on, issuing from {@code pki}'s intermediate). */
    final BackendConfig config;
    final TrustRoot trustRoot;
    final int revocationPort;
    /** Fixed at start-up so stored timestamps are predictable; the PKI uses the real clock (TLS checks validity against it). */
    final Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);

    BackendFixture(Path dir) throws Exception {
        this(dir, Long.MAX_VALUE);
    }

    BackendFixture(Path dir, long maxUploadBytes) throws Exception {
        this(dir, c -> maxUploadBytes == Long.MAX_VALUE ? c : c.withMaxUploadBytes(maxUploadBytes), null);
    }

    /**
     * As the others, with the configuration changed by {@code tweak} and operator alerts posted to
     * {@code alerts} ({@code null}: none).
     */
    BackendFixture(Path dir, UnaryOperator<BackendConfig> tweak, AlertWebhook alerts) throws Exception {
        this(dir, tweak, alerts, UnaryOperator.identity());
    }

    /** As the others, with the operational limits changed by {@code settings} from {@link ServiceSettings#DEFAULT}. */
    BackendFixture(Path dir, UnaryOperator<BackendConfig> tweak, AlertWebhook alerts, UnaryOperator<ServiceSettings> settings)
            throws Exception {
        this(dir, tweak, alerts, settings, MqttBrokerConfig.OFF);
    }

    /** As the others, with the embedded MQTT broker {@code mqtt} describes. */
    BackendFixture(Path dir, UnaryOperator<BackendConfig> tweak, AlertWebhook alerts, MqttBrokerConfig mqtt) throws Exception {
        this(dir, tweak, alerts, UnaryOperator.identity(), mqtt);
    }

    /** As the others, with operational limits and an MQTT broker. */
    BackendFixture(Path dir, UnaryOperator<BackendConfig> tweak, AlertWebhook alerts, UnaryOperator<ServiceSettings> settings,
            MqttBrokerConfig mqtt) throws Exception {
        this(dir, tweak, alerts, settings, mqtt, pki -> null);
    }

    /**
     * As the others, and the backend publishes to the external MQTT broker {@code external} makes
     * from the fresh PKI ({@code null}: none).
     */
    BackendFixture(Path dir, UnaryOperator<BackendConfig> tweak, AlertWebhook alerts, UnaryOperator<ServiceSettings> settings,
            MqttBrokerConfig mqtt, ExternalMqtt external) throws Exception {
        this.dir = dir;
        // Certificates name the CRL/OCSP port, so it is chosen before the PKI is made (stapling fetches from it).
        this.revocationPort = freePort();
        this.pki = PkiDirectory.create(dir.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:" + revocationPort), Clock.systemUTC());
        this.releases = new TestReleases(dir.resolve("build"));
        Instant expires = clock.instant().plus(Duration.ofDays(365));
        Path trust = keys.write(dir.resolve("release-trust/trust-root.json"), expires);
        this.trustRoot = keys.trustRoot(expires);
        BackendConfig config = tweak.apply(BackendConfig.fromPki(dir.resolve("data"), pki, trust)
                .withPollingSleep(Duration.ofSeconds(5))
                .withRevocationPort(revocationPort)
                .withDatabase(TestDatabases.settings(dir.resolve("data/db"))));
        this.config = config;
        this.server = BackendServer.start(config, settings.apply(ServiceSettings.DEFAULT), EnrollmentConfig.fromPki(pki), alerts,
                mqtt, external.of(pki), clock);
    }

    /** Makes the external broker's configuration once the PKI exists. */
    @FunctionalInterface
    interface ExternalMqtt {
        io.gantry.backend.mqtt.ExternalBrokerConfig of(PkiDirectory pki) throws Exception;
    }

    /** @return an archive of {@code m} signed by both release keys (the two-person rule), payload entries {@code archived} */
    Path signed(ReleaseMetadata m, Map<String, byte[]> archived) throws Exception {
        return releases.archive(m, archived, keys.releaseA, keys.releaseB);
    }

    /** @return a good release: firmware metadata describing exactly {@code payloads}, signed by both release keys */
    Path good(String name, String version, Map<String, byte[]> payloads) throws Exception {
        return signed(TestReleases.metadata(name, version, payloads), payloads);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    HttpClient device(String id) throws Exception {
        if (!Files.exists(pki.deviceKeyStore(id))) {
            pki.issueDevice(id);
        }
        return TlsClients.withCertificate(pki.loadDevice(id), pki.rootCaPem());
    }

    HttpClient operator(String name) throws Exception {
        if (!Files.exists(pki.operatorKeyStore(name))) {
            pki.issueOperator(name);
        }
        return TlsClients.withCertificate(pki.loadOperator(name), pki.rootCaPem());
    }

    /** @return a client whose new certificate {@code CN=name,OU=operators} carries exactly {@code roles} */
    HttpClient operator(String name, io.gantry.pki.OperatorRole... roles) throws Exception {
        pki.issueOperator(name, roles);
        return TlsClients.withCertificate(pki.loadOperator(name), pki.rootCaPem());
    }

    URI uri(String path) {
        return server.baseUri().resolve(path);
    }

    static HttpResponse<String> get(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(HttpClient client, URI uri, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> upload(HttpClient operator, Path archive) throws Exception {
        return operator.send(HttpRequest.newBuilder(uri("/rest/v1/releases"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(archive)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Uploads and assigns a release; returns {releaseId, actionId}. */
    long[] uploadAndAssign(HttpClient operator, Path archive, String controllerId) throws Exception {
        HttpResponse<String> up = upload(operator, archive);
        if (up.statusCode() != 201) {
            throw new AssertionError("upload failed: " + up.statusCode() + " " + up.body());
        }
        long releaseId = JSON.readTree(up.body()).get("id").asLong();
        HttpResponse<String> as = postJson(operator, uri("/rest/v1/targets/" + controllerId + "/actions"),
                "{\"releaseId\":" + releaseId + "}");
        if (as.statusCode() != 201) {
            throw new AssertionError("assign failed: " + as.statusCode() + " " + as.body());
        }
        return new long[] {releaseId, JSON.readTree(as.body()).get("actionId").asLong()};
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    URI controller(String id) {
        return uri("/DEFAULT/controller/v1/" + id);
    }

    @Override
    public void close() {
        server.close();
    }
}
