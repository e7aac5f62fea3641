package io.gantry.backend.mqtt;

/** Where the backend sends {@link DeviceCommand}s: the embedded broker, or nowhere when MQTT is off. */
public interface CommandPush {
    /** Pushes nothing (MQTT off): devices learn at their next poll. */
    CommandPush NONE = command -> { };

    /**
     * Publishes {@code command} (QoS 1) without waiting; a failure is logged, never thrown: the
     * device still learns at its next poll.
     */
    void push(DeviceCommand command);
}
