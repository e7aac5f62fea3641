package io.gantry.backend.config;

import io.gantry.backend.config.Setting.Kind;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every setting of the backend service ({@code gantry backend}), with its default: the catalogue
 * behind the configuration file ({@code key = value}, Java properties syntax) and the flags
 * ({@code --key value}); a flag wins over the file, the file over the default. docs/backend-api.md
 * ("Configuration") carries {@link #markdownTable()}, and a test checks the two agree and that every
 * component of the configuration records is set by some setting, so neither can drift.
 */
public final class BackendSettings {
    private static final long DAY = 86_400;

    /** The catalogue, in the order the docs list it. */
    public static final List<Setting> ALL = List.of(
            required("data", Kind.PATH, "BackendConfig.dataDir",
                    "Data folder: H2 database (db/), artifact store (artifacts/), upload spool (tmp/); created if missing."),
            required("pki", Kind.PATH, "BackendConfig.serverKeyStore BackendConfig.serverKeyStorePasswordFile "
                    + "BackendConfig.clientTrustAnchor BackendConfig.issuingCaKeyStore BackendConfig.issuanceLog",
                    "PKI folder from 'gantry pki init': server TLS key, root (client trust anchor), issuing intermediate, issued.log."),
            required("trust-root", Kind.PATH, "BackendConfig.releaseTrustRoot",
                    "Release trust root (trust-root.json, signatures in trust-root.sigs.json beside it); the backend refuses to "
                    + "start without a valid one."),
            new Setting("db-url", Kind.TEXT, null, "embedded H2 in data/db", 0, 0, List.of("DatabaseSettings.jdbcUrl"),
                    "PostgreSQL database instead of the embedded H2 one: jdbc:postgresql://HOST[:PORT]/DATABASE (it must exist; "
                    + "the backend creates its tables)."),
            new Setting("db-user", Kind.TEXT, null, "none", 0, 0, List.of("DatabaseSettings.user"), "PostgreSQL user (with db-url)."),
            new Setting("db-password-file", Kind.PATH, null, "none", 0, 0, List.of("DatabaseSettings.password"),
                    "File holding the PostgreSQL password, one line (with db-url)."),
            new Setting("bind", Kind.TEXT, "127.0.0.1", "127.0.0.1", 0, 0, List.of("BackendConfig.bindHost", "MqttBrokerConfig.bindHost"),
                    "Address every listener binds (HTTPS, CRL/OCSP, health, MQTT)."),
            number("port", 8443, 0, 65535, "BackendConfig.port", "HTTPS port of the device and management APIs and EST (0: any free port)."),
            new Setting("revocation-port", Kind.NUMBER, null, "port of the PKI's revocation URL", 0, 65535,
                    List.of("BackendConfig.revocationPort"),
                    "Plain-HTTP CRL/OCSP port; certificates name the PKI's revocation URL, so change it only with that."),
            number("http-threads", ServiceSettings.DEFAULT_HTTP_THREADS, ServiceSettings.MIN_HTTP_THREADS, 10_000,
                    "ServiceSettings.httpThreads",
                    "Most threads of the HTTPS listener. Each request in progress holds one, and a download served by the backend "
                    + "holds one until it ends: size it above the downloads expected at once (or offload them); each thread "
                    + "costs resident memory (docs/benchmarks.md, \"Backend memory under check-in load\")."),
            number("health-port", 8081, -1, 65535, "ServiceSettings.healthPort",
                    "Plain-HTTP port of GET /health for load balancers (-1: none, 0: any free port)."),
            number("metrics-port", -1, -1, 65535, "ServiceSettings.metricsPort",
                    "Plain-HTTP port of GET /metrics, Prometheus text format, e.g. 9464 (-1: none, 0: any free port; docs/metrics.md)."),
            text("metrics-bind", ServiceSettings.LOOPBACK, "ServiceSettings.metricsBind",
                    "Address the metrics listener binds: loopback by default, for a scraper on the same host; another address "
                    + "exposes fleet-wide counts to whoever reaches it."),
            duration("metrics-database-max-age", "30s", 0, 3600, "ServiceSettings.metricsDatabaseMaxAge",
                    "Metrics read from the database (certificate expiry, rollout progress) are computed at most this often, "
                    + "whatever the scrape rate (0: at every scrape)."),
            new Setting("mqtt-port", Kind.NUMBER, Long.toString(MqttBrokerConfig.DEFAULT_PORT), Long.toString(MqttBrokerConfig.DEFAULT_PORT),
                    -1, 65535, List.of("MqttBrokerConfig.port", "MqttBrokerConfig.enabled"),
                    "Mutual-TLS port of the embedded MQTT v5 broker that pushes checkIn, cancel and trustRoot to devices "
                    + "(docs/mqtt.md; -1: no broker, devices learn at their next poll; 0: any free port; "
                    + "with mqtt-broker-url the default is -1)."),
            new Setting("mqtt-broker-url", Kind.URL, null, "none", 0, 0, List.of("ExternalBrokerConfig.brokerUrl"),
                    "External MQTT v5 broker (e.g. Mosquitto) the backend connects to as the push identity over mutual TLS: "
                    + "ssl://HOST:PORT; it publishes every command and fleet alert there and reads device statuses from it "
                    + "(docs/mqtt.md). The embedded broker then does not run unless mqtt-port is given too."),
            new Setting("mqtt-push-keystore", Kind.PATH, null, "none", 0, 0, List.of("ExternalBrokerConfig.keyStore"),
                    "PKCS#12 key store of the push identity, a client certificate of the Gantry CA whose CN the broker's ACL names "
                    + "(pki/backend/gantry-push.p12 from 'gantry pki push-identity', CN=backend:gantry-push); required with "
                    + "mqtt-broker-url."),
            new Setting("mqtt-push-password-file", Kind.PATH, null, "<mqtt-push-keystore>.pass", 0, 0,
                    List.of("ExternalBrokerConfig.passwordFile"), "File holding the push identity key store's password, one line."),
            new Setting("mqtt-broker-ca", Kind.PATH, null, "<pki>/root/root-ca.pem", 0, 0, List.of("ExternalBrokerConfig.brokerCa"),
                    "PEM CA certificates the external broker's server certificate must chain to (its host name is checked too)."),
            duration("mqtt-reconnect-max", "60s", 1, 3600, "ExternalBrokerConfig.maxReconnect",
                    "Longest wait between attempts to reach the external broker (1 s after a loss, doubling up to this)."),
            text("tenant", BackendConfig.DEFAULT_TENANT, "BackendConfig.tenant",
                    "The tenant in device URLs (/{tenant}/controller/v1/...): 1-64 of [A-Za-z0-9_-], not 'rest'."),
            duration("polling-interval", "5s", 1, DAY - 1, "BackendConfig.pollingSleep",
                    "How long devices are told to wait between polls (hawkBit polling sleep)."),
            bytes("max-upload-bytes", "512MiB", 1, Long.MAX_VALUE, "BackendConfig.maxUploadBytes", "Largest release archive accepted."),
            number("max-security-events", BackendConfig.DEFAULT_MAX_SECURITY_EVENTS, 1, Long.MAX_VALUE,
                    "BackendConfig.maxSecurityEvents", "Security events kept; the oldest are deleted first."),
            number("downloads-per-artifact", ArtifactDownloadLimit.DEFAULT.downloads(), 1, 1000, "ArtifactDownloadLimit.downloads",
                    "Complete downloads of one artifact per device per window, counted in the database (429 DOWNLOAD_REPEATED beyond); "
                    + "resuming with a Range is not a new one."),
            number("download-window-minutes", ArtifactDownloadLimit.DEFAULT.window().toMinutes(), 1, 366 * 24 * 60,
                    "ArtifactDownloadLimit.window", "The per-artifact download limit's window, in minutes."),
            number("download-flood-max-requests", DownloadQuota.DEFAULT.maxRequests(), 1, Integer.MAX_VALUE, "DownloadQuota.maxRequests",
                    "Flood guard (per node): artifact requests per device per flood window (429 DOWNLOAD_LIMIT beyond)."),
            bytes("download-flood-max-bytes", "4GiB", 1, Long.MAX_VALUE, "DownloadQuota.maxBytes",
                    "Flood guard (per node): artifact bytes per device per flood window."),
            duration("download-flood-window", "10m", 1, 366 * DAY, "DownloadQuota.window", "The flood guard's accounting period."),
            new Setting("offload-url", Kind.URL, null, "none", 0, 0, List.of("DownloadOffload.baseUrl"),
                    "Download offload: payload links point at this https base URL (a reverse proxy or CDN, docs/distribution.md), "
                    + "signed with offload-secret-file; none: the backend serves every download."),
            new Setting("offload-secret-file", Kind.PATH, null, "none", 0, 0, List.of("DownloadOffload.secretFile"),
                    "File whose text (at least 32 characters, e.g. from 'openssl rand -hex 32') is the HMAC-SHA256 key of offload links."),
            number("offload-link-minutes", DownloadOffload.DEFAULT_LINK_LIFETIME.toMinutes(), 1, 24 * 60, "DownloadOffload.linkLifetime",
                    "How long an offload link is valid, in minutes."),
            duration("revocation-idle-timeout", "5s", 1, 600, "RevocationListenerLimits.idleTimeout",
                    "CRL/OCSP listener: a connection silent this long is closed."),
            number("revocation-max-connections", RevocationListenerLimits.DEFAULT.maxConnections(), 16, 1_000_000,
                    "RevocationListenerLimits.maxConnections", "CRL/OCSP listener: open connections at most."),
            bytes("revocation-max-request-bytes", "8KiB", 1024, 1024 * 1024, "RevocationListenerLimits.maxRequestBytes",
                    "CRL/OCSP listener: largest OCSP request and header block (413/431 beyond)."),
            number("est-reenroll-max", ReenrollmentPolicy.DEFAULT.maxPerWindow(), 1, 1000, "ReenrollmentPolicy.maxPerWindow",
                    "EST simplereenroll per device per window (429 REENROLL_LIMIT beyond)."),
            duration("est-reenroll-window", "24h", 60, 366 * DAY, "ReenrollmentPolicy.window", "The re-enrollment limit's counting period."),
            duration("est-superseded-grace", "24h", 0, 30 * DAY, "ReenrollmentPolicy.supersededGrace",
                    "After a renewal, the old certificate is revoked (superseded) at the new one's first use or after this long."),
            new Setting("alert-webhook", Kind.URL, null, "none", 0, 0, List.of("AlertWebhook.url"),
                    "Post operator alerts as JSON to this https URL (or http to a loopback relay)."),
            new Setting("alert-codes", Kind.LIST, null, "CERT_RENEWAL_*, CERTIFICATE_REVOKED, release rejections", 0, 0,
                    List.of("AlertWebhook.codes"), "Security event codes that are alerts, comma-separated."),
            duration("alert-interval", "5s", 1, 3600, "AlertWebhook.interval",
                    "How often new security events are looked for; failed deliveries back off from it."),
            duration("fleet-health-interval", "1m", 1, DAY, "FleetHealthSettings.interval",
                    "How often the fleet-health evaluator looks at certificates, renewals, silent devices and rollouts."),
            new Setting("cert-expiry-days", Kind.LIST, "90,30,7", "90,30,7", 0, 0, List.of("FleetHealthSettings.expiryDays"),
                    "Days before a certificate ends at which an expiry alert opens, then escalates (1-3 strictly decreasing numbers)."),
            number("silent-after-polls", FleetHealthSettings.DEFAULT.silentPolls(), 1, 100_000, "FleetHealthSettings.silentPolls",
                    "A device that has not polled for this many polling intervals is silent (DEVICE_SILENT alert)."),
            duration("renewal-overdue", "14d", 0, 366 * DAY, "FleetHealthSettings.renewalOverdue",
                    "A device still calling with a certificate this long inside its renewal window is failing to renew."),
            duration("anomaly-interval", "5m", 1, DAY, "AnomalyThresholds.interval", "How often the anomaly detectors run."),
            duration("anomaly-window", "1h", 1, 30 * DAY, "AnomalyThresholds.window", "The recent period the anomaly detectors judge."),
            duration("anomaly-baseline", "7d", 2, 366 * DAY, "AnomalyThresholds.baseline",
                    "The period before the window that says what is usual (longer than anomaly-window; check-in sightings are kept this long)."),
            number("burst-factor", AnomalyThresholds.DEFAULT.burstFactor(), 2, 1_000_000, "AnomalyThresholds.burstFactor",
                    "A download burst is more than this many times the device's (or the fleet's) baseline rate."),
            number("burst-min-requests", AnomalyThresholds.DEFAULT.burstMinRequests(), 1, 1_000_000, "AnomalyThresholds.burstMinRequests",
                    "Fewest download requests in the window for a device burst (ten times as many for a fleet burst)."),
            number("clone-max-addresses", AnomalyThresholds.DEFAULT.cloneMaxAddresses(), 1, 1000, "AnomalyThresholds.cloneMaxAddresses",
                    "One certificate seen from more distinct addresses than this within the window is a cloned identity."),
            number("region-prefix-bits", AnomalyThresholds.DEFAULT.regionPrefixBits(), 8, 32, "AnomalyThresholds.regionPrefixBits",
                    "Network regions are IPv4 prefixes of this many bits (16 or 24 are usual; IPv6 uses /48)."),
            number("region-min-devices", AnomalyThresholds.DEFAULT.regionMinDevices(), 1, 1_000_000, "AnomalyThresholds.regionMinDevices",
                    "Devices calling from a region the baseline never saw before it is an UNUSUAL_REGION alert."),
            number("campaign-min-devices", AnomalyThresholds.DEFAULT.campaignMinDevices(), 2, 1_000_000,
                    "AnomalyThresholds.campaignMinDevices",
                    "Devices given one release outside any rollout within the window before it is an UNSCHEDULED_CAMPAIGN alert."),
            number("unassigned-min-downloads", AnomalyThresholds.DEFAULT.unassignedMinRequests(), 1, 1_000_000,
                    "AnomalyThresholds.unassignedMinRequests",
                    "Download requests for a release the device has no action for before it is an UNASSIGNED_DOWNLOAD alert."),
            new Setting("tls-ec", Kind.CHOICE, "bc", "bc", 0, 0, List.of(),
                    "Elliptic-curve arithmetic of TLS: bc (BouncyCastle, about half the CPU per handshake) or jdk (SunEC)."));

    private BackendSettings() {
    }

    /** @return the setting named {@code key} */
    public static Optional<Setting> find(String key) {
        return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /** @return the Markdown table of every setting (key and flag, default, meaning) that docs/backend-api.md carries */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| file key / flag | kind | default | meaning |\n|---|---|---|---|\n");
        for (Setting s : ALL) {
            String shown = s.defaultValue() == null && s.shownDefault().equals("required") ? "**required**"
                    : s.shownDefault().equals("none") || s.shownDefault().contains(" ") ? s.shownDefault() : "`" + s.shownDefault() + "`";
            b.append("| `").append(s.key()).append("` / `").append(s.flag()).append("` | ").append(s.kind().label()).append(" | ")
                    .append(shown).append(" | ").append(s.description()).append(" |\n");
        }
        return b.toString();
    }

    /**
     * Values of settings with where each came from; {@link #value} parses, bounds-checks and falls back
     * to the default, and every error names the setting and its source.
     */
    public static final class Values {
        private final Map<String, String[]> raw = new LinkedHashMap<>();

        /**
         * Reads a configuration file: {@code key = value} lines (Java properties syntax, {@code #} comments).
         *
         * @throws IllegalArgumentException for an unknown key, naming the file
         * @throws IOException if the file cannot be read
         */
        public static Values fromFile(Path file) throws IOException {
            Values v = new Values();
            v.addFile(file);
            return v;
        }

        /** Adds the settings of {@code file}, replacing earlier values of the same keys. */
        public Values addFile(Path file) throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("configuration file not found: " + file);
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                set(key, p.getProperty(key), file.toString());
            }
            return this;
        }

        /**
         * Sets one value; an empty value from a file unsets an optional setting.
         *
         * @param source where it came from, for errors ({@code --port}, a file name)
         * @throws IllegalArgumentException for an unknown key
         */
        public Values set(String key, String value, String source) {
            if (find(key).isEmpty()) {
                throw new IllegalArgumentException("unknown setting '" + key + "' in " + source + "; known: "
                        + ALL.stream().map(Setting::key).collect(Collectors.joining(", ")));
            }
            raw.put(key, new String[] {value, source});
            return this;
        }

        /**
         * @return the parsed value of {@code key} (see {@link Setting#parse}), its default if none was
         *     given, or empty when it has no default
         * @throws IllegalArgumentException naming setting, source and problem
         */
        public Optional<Object> value(String key) {
            Setting s = find(key).orElseThrow(() -> new IllegalArgumentException("no setting " + key));
            String[] given = raw.get(key);
            String text = given != null && !given[0].isBlank() ? given[0] : s.defaultValue();
            String source = given != null && !given[0].isBlank() ? given[1] : "default";
            if (text == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(s.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("setting " + key + " (" + source + "): " + e.getMessage(), e);
            }
        }

        /** @return the value of a setting that must have one */
        public Object require(String key) {
            return value(key).orElseThrow(() -> new IllegalArgumentException("setting " + key + " is required: give --" + key
                    + " or '" + key + " = ...' in the configuration file"));
        }

        /** @return where {@code key}'s value came from: a flag, a file, or "default" */
        public String sourceOf(String key) {
            String[] given = raw.get(key);
            return given == null ? "default" : given[1];
        }

        /** @return the keys given by a file or flag */
        public List<String> given() {
            return new ArrayList<>(raw.keySet());
        }
    }

    private static Setting required(String key, Kind kind, String targets, String description) {
        return new Setting(key, kind, null, "required", 0, 0, List.of(targets.split(" ")), description);
    }

    private static Setting text(String key, String dflt, String target, String description) {
        return new Setting(key, Kind.TEXT, dflt, dflt, 0, 0, List.of(target), description);
    }

    private static Setting number(String key, long dflt, long min, long max, String target, String description) {
        return new Setting(key, Kind.NUMBER, Long.toString(dflt), Long.toString(dflt), min, max, List.of(target), description);
    }

    private static Setting bytes(String key, String dflt, long min, long max, String target, String description) {
        return new Setting(key, Kind.BYTES, dflt, dflt, min, max, List.of(target), description);
    }

    /** Bounds in seconds. */
    private static Setting duration(String key, String dflt, long minSeconds, long maxSeconds, String target, String description) {
        return new Setting(key, Kind.DURATION, dflt, dflt, minSeconds, maxSeconds, List.of(target), description);
    }
}
