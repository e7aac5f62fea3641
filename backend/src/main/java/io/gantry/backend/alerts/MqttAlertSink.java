package io.gantry.backend.alerts;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Publishes every alert change as {@link AlertJson} on {@code gantry/v1/fleet/alerts} (docs/mqtt.md):
 * through the embedded broker's own publish service and the push outbox to every node's broker, or
 * to the external broker; operator certificates may subscribe to it.
 * Without a broker the backend does not install this sink.
 */
public final class MqttAlertSink implements AlertSink {
    private final Consumer<String> publish;

    /** @param publish publishes one JSON document on the fleet alert topic without throwing */
    public MqttAlertSink(Consumer<String> publish) {
        this.publish = Objects.requireNonNull(publish, "publish");
    }

    @Override
    public void deliver(AlertChange change) {
        publish.accept(AlertJson.of(change));
    }
}
