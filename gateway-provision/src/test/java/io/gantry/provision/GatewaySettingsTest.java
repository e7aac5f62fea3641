package io.gantry.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewaySettingsTest {
    static final URI BACKEND = URI.create("https://backend.example:8443");

    private static String refusal(GatewaySettings s) {
        ProvisionException e = assertThrows(ProvisionException.class, s::validate);
        assertEquals(ProvisionError.INVALID_SETTING, e.code());
        return e.getMessage();
    }

    @Test
    void eachBadSettingIsNamed() {
        assertTrue(refusal(new GatewaySettings(URI.create("http://backend:8080"), "DEFAULT", 60, List.of(), null, Map.of()))
                .contains("--backend must be an https URL"));
        assertTrue(refusal(new GatewaySettings(BACKEND, "a b", 60, List.of(), null, Map.of())).contains("--tenant"));
        assertTrue(refusal(new GatewaySettings(BACKEND, "DEFAULT", 0, List.of(), null, Map.of())).contains("--poll-seconds"));
        assertTrue(refusal(new GatewaySettings(BACKEND, "DEFAULT", 60, List.of("s1", "s1"), null, Map.of())).contains("given twice"));
        assertTrue(refusal(new GatewaySettings(BACKEND, "DEFAULT", 60, List.of("../x"), null, Map.of())).contains("--device-id"));
        assertTrue(refusal(new GatewaySettings(BACKEND, "DEFAULT", 60, List.of(), 0, Map.of())).contains("--minimum-threshold"));
        assertTrue(refusal(new GatewaySettings(BACKEND, "DEFAULT", 60, List.of(), null, Map.of("soakSeconds", "-1")))
                .contains("--coordinator: soakSeconds=-1 is outside 0..604800"));
        assertTrue(refusal(new GatewaySettings(BACKEND, "DEFAULT", 60, List.of(), null, Map.of("soak", "1")))
                .contains("--coordinator: unknown key soak"));
    }

    @Test
    void configurationPointsEveryBundleIntoTheHome(@TempDir Path dir) throws Exception {
        GatewaySettings s = new GatewaySettings(BACKEND, "DEFAULT", 30, List.of("sensor-1", "sensor-2"), 2,
                Map.of("soakSeconds", "0"));
        s.validate();
        GatewayHomeLayout layout = new GatewayHomeLayout(dir);
        layout.writeConfiguration(s);
        assertEquals("backendUrl=\"https://backend.example:8443\"\ntenant=\"DEFAULT\"\npollSeconds=I\"30\"\n",
                Files.readString(layout.conf().resolve("io.gantry.agent.config")));
        assertTrue(Files.readString(layout.conf().resolve("com.acme.gantry.sensor.config"))
                .contains("deviceIds=[\"sensor-1\",\"sensor-2\"]"));
        assertTrue(Files.readString(layout.conf().resolve("io.gantry.verifier.config")).contains("minimumThreshold=I\"2\""));
        assertEquals("soakSeconds=0\n", Files.readString(layout.conf().resolve("coordinator.properties")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(layout.conf()), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void anUnsignedTrustRootIsRefusedBeforeTheCredentialIsUsed(@TempDir Path dir) throws Exception {
        Path root = Files.writeString(dir.resolve("trust-root.json"), "{}");
        ProvisionException e = assertThrows(ProvisionException.class, () -> GatewayProvisioning.checkTrustRoot(root));
        assertEquals(ProvisionError.TRUST_ROOT_INVALID, e.code());
    }
}
