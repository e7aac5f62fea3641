package io.gantry.backend;

import io.gantry.api.failure.FailureCode;
import io.gantry.backend.alerts.AlertWebhook;
import io.gantry.backend.config.AnomalyThresholds;
import io.gantry.backend.config.ArtifactDownloadLimit;
import io.gantry.backend.config.FleetHealthSettings;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.DownloadOffload;
import io.gantry.backend.config.BackendSettings;
import io.gantry.backend.config.DatabaseSettings;
import io.gantry.backend.config.DownloadQuota;
import io.gantry.backend.config.ReenrollmentPolicy;
import io.gantry.backend.config.RevocationListenerLimits;
import io.gantry.backend.config.ServiceSettings;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.failure.FailureCodes;
import io.gantry.backend.mqtt.ExternalBrokerConfig;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.backend.tls.HttpsConnectors;
import io.gantry.pki.PkiDirectory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The backend service as {@code gantry backend} runs it, resolved from its settings
 * ({@link BackendSettings}: configuration file, flags, defaults) and validated before anything
 * listens: every value is parsed and bounds-checked with an error naming the setting and where its
 * value came from, then the files are checked ({@link BackendConfig#validate()}).
 *
 * @param config what to serve and with which keys
 * @param service the listeners' limits, the EST renewal policy and the health port
 * @param enrollment the issuing CA of EST
 * @param alerts the operator alert webhook, {@code null} for none
 * @param ec the TLS elliptic-curve implementation ({@link HttpsConnectors#EC_PROPERTY}: {@code bc} or {@code jdk})
 * @param mqtt the embedded MQTT broker ({@link MqttBrokerConfig#OFF} for none)
 * @param externalMqtt the external MQTT broker the backend publishes to, {@code null} for none
 */
public record BackendLaunch(BackendConfig config, ServiceSettings service, EnrollmentConfig enrollment, AlertWebhook alerts,
        String ec, MqttBrokerConfig mqtt, ExternalBrokerConfig externalMqtt) {
    /** @throws NullPointerException if a required part is missing */
    public BackendLaunch {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(enrollment, "enrollment");
        Objects.requireNonNull(ec, "ec");
        Objects.requireNonNull(mqtt, "mqtt");
    }

    /**
     * @param values the settings given by file and flags
     * @return the validated launch
     * @throws IllegalArgumentException naming the first bad setting and the problem
     * @throws IOException if the PKI folder cannot be read
     */
    public static BackendLaunch resolve(BackendSettings.Values values, Clock clock) throws IOException {
        Path pkiDir = (Path) values.require("pki");
        if (!Files.isDirectory(pkiDir)) {
            throw new IllegalArgumentException("setting pki (" + values.sourceOf("pki") + "): folder not found: " + pkiDir);
        }
        PkiDirectory pki = PkiDirectory.open(pkiDir, clock);
        Object givenRevocationPort = values.value("revocation-port").orElse(null);
        int revocationPort = givenRevocationPort != null ? ((Long) givenRevocationPort).intValue()
                : pki.revocationEndpoints().base().getPort();
        BackendConfig config = BackendConfig.fromPki((Path) values.require("data"), pki, (Path) values.require("trust-root"))
                .withBindHost(text(values, "bind"))
                .withPort(number(values, "port"))
                .withRevocationPort(revocationPort)
                .withTenant(text(values, "tenant"))
                .withPollingSleep(duration(values, "polling-interval"))
                .withMaxUploadBytes(longValue(values, "max-upload-bytes"))
                .withMaxSecurityEvents(longValue(values, "max-security-events"))
                .withDownloadQuota(new DownloadQuota(number(values, "download-flood-max-requests"),
                        longValue(values, "download-flood-max-bytes"), duration(values, "download-flood-window")))
                .withArtifactDownloadLimit(new ArtifactDownloadLimit(number(values, "downloads-per-artifact"),
                        Duration.ofMinutes(longValue(values, "download-window-minutes"))));
        Object offloadUrl = values.value("offload-url").orElse(null);
        Object offloadSecret = values.value("offload-secret-file").orElse(null);
        if ((offloadUrl == null) != (offloadSecret == null)) {
            throw new IllegalArgumentException("settings offload-url and offload-secret-file go together");
        }
        if (offloadUrl != null) {
            config = config.withOffload(new DownloadOffload((URI) offloadUrl, (Path) offloadSecret,
                    Duration.ofMinutes(longValue(values, "offload-link-minutes"))));
        }
        config = config.withDatabase(database(values));
        ServiceSettings service = new ServiceSettings(
                new RevocationListenerLimits(duration(values, "revocation-idle-timeout"), number(values, "revocation-max-connections"),
                        number(values, "revocation-max-request-bytes")),
                new ReenrollmentPolicy(number(values, "est-reenroll-max"), duration(values, "est-reenroll-window"),
                        duration(values, "est-superseded-grace")),
                number(values, "health-port"), text(values, "metrics-bind"), number(values, "metrics-port"),
                duration(values, "metrics-database-max-age"), fleetHealth(values), anomalies(values),
                number(values, "http-threads"));
        String ec = text(values, "tls-ec");
        if (!ec.equals("bc") && !ec.equals("jdk")) {
            throw new IllegalArgumentException("setting tls-ec (" + values.sourceOf("tls-ec") + "): must be bc or jdk, not " + ec);
        }
        ExternalBrokerConfig external = externalBroker(values, config);
        int mqttPort = number(values, "mqtt-port");
        if (external != null && values.sourceOf("mqtt-port").equals("default")) {
            // An external broker replaces the embedded one unless mqtt-port is given too.
            mqttPort = -1;
        }
        MqttBrokerConfig mqtt = mqttPort < 0 ? MqttBrokerConfig.OFF : MqttBrokerConfig.on(config.bindHost(), mqttPort);
        requireDistinctPorts(config, service, mqtt);
        try {
            config.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
        return new BackendLaunch(config, service, EnrollmentConfig.fromPki(pki), alerts(values), ec, mqtt, external);
    }

    /**
     * Starts the backend ({@link BackendServer#start(BackendConfig, ServiceSettings, EnrollmentConfig, AlertWebhook,
     * MqttBrokerConfig, Clock)}), with its MQTT broker unless {@code mqtt-port} is -1.
     */
    public BackendServer start(Clock clock) throws IOException, GeneralSecurityException {
        System.setProperty(HttpsConnectors.EC_PROPERTY, ec);
        return BackendServer.start(config, service, enrollment, alerts, mqtt, externalMqtt, clock);
    }

    /**
     * The external MQTT broker of mqtt-broker-url with the push identity of mqtt-push-keystore, checked
     * (files readable, key store opens); {@code null} without mqtt-broker-url.
     */
    private static ExternalBrokerConfig externalBroker(BackendSettings.Values values, BackendConfig config) {
        URI url = (URI) values.value("mqtt-broker-url").orElse(null);
        if (url == null) {
            for (String key : List.of("mqtt-push-keystore", "mqtt-push-password-file", "mqtt-broker-ca")) {
                if (!values.sourceOf(key).equals("default")) {
                    throw new IllegalArgumentException("setting " + key + " (" + values.sourceOf(key) + ") needs mqtt-broker-url");
                }
            }
            return null;
        }
        Path keyStore = (Path) values.value("mqtt-push-keystore").orElseThrow(() -> new IllegalArgumentException(
                "setting mqtt-broker-url (" + values.sourceOf("mqtt-broker-url") + ") needs mqtt-push-keystore, the push "
                + "identity's PKCS#12 key store (e.g. from 'gantry pki push-identity')"));
        Path password = (Path) values.value("mqtt-push-password-file").orElse(ExternalBrokerConfig.defaultPasswordFile(keyStore));
        Path ca = (Path) values.value("mqtt-broker-ca").orElse(config.clientTrustAnchor());
        ExternalBrokerConfig external;
        try {
            external = new ExternalBrokerConfig(url, keyStore, password, ca, duration(values, "mqtt-reconnect-max"));
            external.load();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("settings mqtt-broker-url/mqtt-push-keystore/mqtt-push-password-file/mqtt-broker-ca: "
                    + e.getMessage(), e);
        }
        return external;
    }

    private static AlertWebhook alerts(BackendSettings.Values values) {
        URI url = (URI) values.value("alert-webhook").orElse(null);
        @SuppressWarnings("unchecked")
        List<String> names = (List<String>) values.value("alert-codes").orElse(null);
        if (url == null) {
            if (names != null) {
                throw new IllegalArgumentException("setting alert-codes (" + values.sourceOf("alert-codes")
                        + "): needs alert-webhook");
            }
            return null;
        }
        try {
            Set<FailureCode> codes = names == null ? AlertWebhook.DEFAULT_CODES
                    : names.stream().map(FailureCodes::require).collect(Collectors.toSet());
            return new AlertWebhook(url, codes, duration(values, "alert-interval"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting alert-webhook/alert-codes: " + e.getMessage(), e);
        }
    }

    private static FleetHealthSettings fleetHealth(BackendSettings.Values values) {
        @SuppressWarnings("unchecked")
        List<String> days = (List<String>) values.require("cert-expiry-days");
        try {
            return new FleetHealthSettings(duration(values, "fleet-health-interval"),
                    days.stream().map(Integer::valueOf).toList(), number(values, "silent-after-polls"),
                    duration(values, "renewal-overdue"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("settings fleet-health-interval/cert-expiry-days/silent-after-polls/renewal-overdue: "
                    + e.getMessage(), e);
        }
    }

    private static AnomalyThresholds anomalies(BackendSettings.Values values) {
        try {
            return new AnomalyThresholds(duration(values, "anomaly-interval"), duration(values, "anomaly-window"),
                    duration(values, "anomaly-baseline"), number(values, "burst-factor"), number(values, "burst-min-requests"),
                    number(values, "clone-max-addresses"), number(values, "region-prefix-bits"), number(values, "region-min-devices"),
                    number(values, "campaign-min-devices"), number(values, "unassigned-min-downloads"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("anomaly settings: " + e.getMessage(), e);
        }
    }

    /** The embedded H2 database, or PostgreSQL from db-url, db-user and db-password-file (one line). */
    private static DatabaseSettings database(BackendSettings.Values values) throws IOException {
        String url = (String) values.value("db-url").orElse(null);
        String user = (String) values.value("db-user").orElse(null);
        Path passwordFile = (Path) values.value("db-password-file").orElse(null);
        if (url == null) {
            if (user != null || passwordFile != null) {
                throw new IllegalArgumentException("settings db-user and db-password-file need db-url");
            }
            return DatabaseSettings.EMBEDDED;
        }
        if (user == null || passwordFile == null) {
            throw new IllegalArgumentException("setting db-url (" + values.sourceOf("db-url") + ") needs db-user and db-password-file");
        }
        if (!Files.isRegularFile(passwordFile)) {
            throw new IllegalArgumentException("setting db-password-file (" + values.sourceOf("db-password-file")
                    + "): file not found: " + passwordFile);
        }
        String password = Files.readString(passwordFile);
        password = password.endsWith("\r\n") ? password.substring(0, password.length() - 2)
                : password.endsWith("\n") ? password.substring(0, password.length() - 1) : password;
        DatabaseSettings settings = DatabaseSettings.postgresql(url, user, password);
        try {
            settings.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting db-url (" + values.sourceOf("db-url") + "): " + e.getMessage(), e);
        }
        return settings;
    }

    private static void requireDistinctPorts(BackendConfig config, ServiceSettings service, MqttBrokerConfig mqtt) {
        Set<Integer> seen = new HashSet<>();
        for (int port : new int[] {config.port(), config.revocationPort(), service.healthPort(), service.metricsPort(),
                mqtt.enabled() ? mqtt.port() : -1}) {
            if (port > 0 && !seen.add(port)) {
                throw new IllegalArgumentException("port, revocation-port, health-port, metrics-port and mqtt-port must differ: " + port
                        + " is given twice");
            }
        }
    }

    private static String text(BackendSettings.Values values, String key) {
        return (String) values.require(key);
    }

    private static int number(BackendSettings.Values values, String key) {
        return Math.toIntExact((Long) values.require(key));
    }

    private static long longValue(BackendSettings.Values values, String key) {
        return (Long) values.require(key);
    }

    private static Duration duration(BackendSettings.Values values, String key) {
        return (Duration) values.require(key);
    }
}
