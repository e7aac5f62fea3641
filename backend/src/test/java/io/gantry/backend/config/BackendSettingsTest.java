package io.gantry.backend.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.alerts.AlertWebhook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The settings catalogue cannot drift: the docs table is the catalogue's, every component of the
 * configuration records is set by a setting, every default is valid, and the example configuration
 * file of dist/ names only known settings.
 */
class BackendSettingsTest {
    static final Path DOCS = Path.of("..", "docs", "backend-api.md");
    static final String BEGIN = "<!-- settings table: generated from BackendSettings.markdownTable(), checked by BackendSettingsTest -->\n";
    static final String END = "<!-- end of settings table -->";
    /** Components filled from a nested record that has its own settings. */
    static final Set<String> NESTED = Set.of("BackendConfig.downloadQuota", "BackendConfig.artifactDownloadLimit",
            "BackendConfig.offload", "BackendConfig.database", "ServiceSettings.revocationListener", "ServiceSettings.reenrollment",
            "ServiceSettings.fleetHealth", "ServiceSettings.anomalies");

    @Test
    void docsCarryTheCataloguesTable() throws Exception {
        String docs = Files.readString(DOCS, StandardCharsets.UTF_8);
        int begin = docs.indexOf(BEGIN);
        int end = docs.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/backend-api.md has no settings table between the markers:\n" + BEGIN + END);
        assertEquals(BackendSettings.markdownTable(), docs.substring(begin + BEGIN.length(), end),
                "docs/backend-api.md's settings table differs from BackendSettings.markdownTable(); paste the expected text");
    }

    @Test
    void everyConfigurationComponentIsSetBySomeSetting() {
        Set<String> targets = new HashSet<>();
        BackendSettings.ALL.forEach(s -> targets.addAll(s.targets()));
        List<String> missing = new ArrayList<>();
        for (Class<?> record : List.of(BackendConfig.class, ServiceSettings.class, DownloadQuota.class, ArtifactDownloadLimit.class,
                DownloadOffload.class, DatabaseSettings.class,
                RevocationListenerLimits.class, ReenrollmentPolicy.class, AlertWebhook.class, FleetHealthSettings.class,
                AnomalyThresholds.class, io.gantry.backend.mqtt.MqttBrokerConfig.class,
                io.gantry.backend.mqtt.ExternalBrokerConfig.class)) {
            Arrays.stream(record.getRecordComponents()).map(c -> record.getSimpleName() + "." + c.getName())
                    .filter(name -> !targets.contains(name) && !NESTED.contains(name)).forEach(missing::add);
        }
        assertTrue(missing.isEmpty(), "no setting (BackendSettings.ALL) sets " + missing);
        Set<String> keys = new HashSet<>();
        BackendSettings.ALL.forEach(s -> assertTrue(keys.add(s.key()), "duplicate key " + s.key()));
    }

    @Test
    void everyDefaultIsValidAndMatchesTheCodesDefaults() {
        BackendSettings.Values none = new BackendSettings.Values();
        for (Setting s : BackendSettings.ALL) {
            none.value(s.key());
        }
        assertEquals(BackendConfig.DEFAULT_POLLING_SLEEP, none.value("polling-interval").orElseThrow());
        assertEquals(BackendConfig.DEFAULT_MAX_UPLOAD_BYTES, none.value("max-upload-bytes").orElseThrow());
        assertEquals(DownloadQuota.DEFAULT.maxBytes(), none.value("download-flood-max-bytes").orElseThrow());
        assertEquals(DownloadQuota.DEFAULT.window(), none.value("download-flood-window").orElseThrow());
        assertEquals(RevocationListenerLimits.DEFAULT.idleTimeout(), none.value("revocation-idle-timeout").orElseThrow());
        assertEquals((long) RevocationListenerLimits.DEFAULT.maxRequestBytes(), none.value("revocation-max-request-bytes").orElseThrow());
        assertEquals(ReenrollmentPolicy.DEFAULT.window(), none.value("est-reenroll-window").orElseThrow());
        assertEquals(ReenrollmentPolicy.DEFAULT.supersededGrace(), none.value("est-superseded-grace").orElseThrow());
        assertEquals(AlertWebhook.DEFAULT_INTERVAL, none.value("alert-interval").orElseThrow());
        assertEquals(FleetHealthSettings.DEFAULT.interval(), none.value("fleet-health-interval").orElseThrow());
        assertEquals(FleetHealthSettings.DEFAULT.renewalOverdue(), none.value("renewal-overdue").orElseThrow());
        assertEquals(List.of("90", "30", "7"), none.value("cert-expiry-days").orElseThrow());
        assertEquals(AnomalyThresholds.DEFAULT.interval(), none.value("anomaly-interval").orElseThrow());
        assertEquals(AnomalyThresholds.DEFAULT.window(), none.value("anomaly-window").orElseThrow());
        assertEquals(AnomalyThresholds.DEFAULT.baseline(), none.value("anomaly-baseline").orElseThrow());
    }

    @Test
    void badValuesAreRefusedNamingSettingAndSource() {
        BackendSettings.Values v = new BackendSettings.Values();
        assertMessage(() -> v.set("port", "99999", "--port").value("port"), "setting port (--port): '99999' is not in 0..65535");
        assertMessage(() -> v.set("polling-interval", "0s", "x.properties").value("polling-interval"),
                "setting polling-interval (x.properties)");
        assertMessage(() -> v.set("download-flood-window", "soon", "--download-flood-window").value("download-flood-window"),
                "is not a duration");
        assertMessage(() -> v.set("max-upload-bytes", "12XB", "--max-upload-bytes").value("max-upload-bytes"), "is not a byte count");
        assertMessage(() -> v.set("alert-webhook", "not a url", "--alert-webhook").value("alert-webhook"), "is not a URL");
        assertMessage(() -> v.set("prot", "8443", "x.properties"), "unknown setting 'prot' in x.properties");
        assertMessage(() -> new BackendSettings.Values().require("data"), "setting data is required");
        assertEquals(Duration.ofMillis(1500), new BackendSettings.Values().set("revocation-idle-timeout", "PT1.5S", "f")
                .value("revocation-idle-timeout").orElseThrow());
        assertEquals(512L << 20, new BackendSettings.Values().set("max-upload-bytes", "512MiB", "f").value("max-upload-bytes")
                .orElseThrow());
    }

    @Test
    void theExampleConfigurationFileNamesOnlyKnownSettings() throws Exception {
        BackendSettings.Values example = BackendSettings.Values.fromFile(Path.of("..", "dist", "backend.properties"));
        for (String key : example.given()) {
            example.value(key);
        }
        assertTrue(example.given().containsAll(List.of("data", "pki", "trust-root")), example.given().toString());
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable bad, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
