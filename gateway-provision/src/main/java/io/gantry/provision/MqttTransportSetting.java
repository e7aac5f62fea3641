package io.gantry.provision;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The broker a gateway's MQTT push transport (bundle {@code io.gantry.transport.mqtt},
 * docs/mqtt.md) connects to: the backend's embedded broker or an external one (Mosquitto). It
 * connects with the gateway's device certificate, so only TLS is accepted: {@code ssl://host:port}.
 */
public final class MqttTransportSetting {
    /** The transport's configuration PID, {@code conf/<pid>.config}. */
    public static final String PID = "io.gantry.transport.mqtt";
    /** Longest wait between reconnect attempts, in seconds. */
    public static final int MAX_RECONNECT_SECONDS = 60;

    private MqttTransportSetting() {
    }

    /**
     * @param brokerUrl the broker, {@code ssl://host:port}
     * @throws ProvisionException INVALID_SETTING, naming {@code --mqtt-broker}, for anything else
     */
    public static URI validate(String brokerUrl) throws ProvisionException {
        try {
            URI u = new URI(brokerUrl);
            if (!"ssl".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1 || u.getPath() != null && !u.getPath().isEmpty()) {
                throw new URISyntaxException(brokerUrl, "not ssl://host:port");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ProvisionException(ProvisionError.INVALID_SETTING, "--mqtt-broker must be ssl://host:port (MQTT over TLS, "
                    + "the device certificate is the client's identity), not " + brokerUrl);
        }
    }

    /**
     * Writes {@code conf/io.gantry.transport.mqtt.config}: the transport starts (or reconnects to
     * the new broker) when FileInstall reads it.
     */
    public static void write(GatewayHomeLayout layout, String brokerUrl, int maxReconnectSeconds)
            throws ProvisionException, IOException {
        validate(brokerUrl);
        java.nio.file.Files.createDirectories(layout.conf());
        layout.write(PID, "brokerUrl=" + GatewayHomeLayout.quote(brokerUrl), "maxReconnectSeconds=I\"" + maxReconnectSeconds + "\"");
    }
}
