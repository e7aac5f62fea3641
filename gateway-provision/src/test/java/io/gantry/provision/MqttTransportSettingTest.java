package io.gantry.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --mqtt-broker}: only MQTT over TLS is written; anything else is refused and writes nothing. */
class MqttTransportSettingTest {
    @TempDir
    Path home;

    @Test
    void aTlsBrokerIsWrittenForFileInstall() throws Exception {
        GatewayHomeLayout layout = new GatewayHomeLayout(home);
        MqttTransportSetting.write(layout, "ssl://broker.example:8883", 60);
        assertEquals("brokerUrl=\"ssl://broker.example:8883\"\nmaxReconnectSeconds=I\"60\"\n",
                Files.readString(layout.conf().resolve("io.gantry.transport.mqtt.config")));
    }

    @Test
    void plainTcpAndMalformedUrlsAreRefused() {
        GatewayHomeLayout layout = new GatewayHomeLayout(home);
        for (String bad : new String[] {"tcp://broker.example:1883", "ssl://broker.example", "broker.example:8883",
            "ssl://broker.example:8883/x", "ssl://bro ker:8883"}) {
            ProvisionException e = assertThrows(ProvisionException.class, () -> MqttTransportSetting.write(layout, bad, 60), bad);
            assertEquals(ProvisionError.INVALID_SETTING, e.code());
            assertTrue(e.getMessage().contains("--mqtt-broker must be ssl://host:port"), e.getMessage());
        }
        assertFalse(Files.exists(layout.conf().resolve("io.gantry.transport.mqtt.config")));
    }
}
