package io.gantry.backend.mqtt;

import java.util.Objects;

/**
 * Whether and where the backend runs its embedded MQTT broker (docs/mqtt.md).
 *
 * @param enabled run the broker; when {@code false} nothing listens and no command is pushed
 * @param bindHost address of the mutual-TLS listener
 * @param port TCP port of the listener, 0 for a free one chosen at start
 */
public record MqttBrokerConfig(boolean enabled, String bindHost, int port) {
    /** The standard MQTT-over-TLS port, the default of {@code gantry backend}. */
    public static final int DEFAULT_PORT = 8883;
    /** No broker. */
    public static final MqttBrokerConfig OFF = new MqttBrokerConfig(false, "127.0.0.1", 0);

    /** @throws IllegalArgumentException for a port outside 0..65535 */
    public MqttBrokerConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("MQTT port must be 0..65535, not " + port);
        }
    }

    /** @return an enabled broker on {@code host}:{@code port} */
    public static MqttBrokerConfig on(String host, int port) {
        return new MqttBrokerConfig(true, host, port);
    }
}
