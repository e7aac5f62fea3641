package io.gantry.backend.alerts;

/** Where alert changes are delivered (log, webhook, MQTT); a sink never throws. */
@FunctionalInterface
public interface AlertSink {
    /** Delivers one change; failures are the sink's to log, never thrown. */
    void deliver(AlertChange change);
}
