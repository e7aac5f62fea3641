package io.gantry.backend.alerts;

import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import java.util.Objects;

/**
 * Hands alert changes to the existing operator webhook: each becomes a {@code FLEET_ALERT} security
 * event (subject: the alert's subject, detail: {@link AlertJson}), which {@link AlertDispatcher}
 * posts in order, at least once, across restarts, like every other alert event. With no webhook
 * configured the event still lands in {@code /rest/v1/security-events}.
 */
public final class WebhookAlertSink implements AlertSink {
    private final SecurityEvents events;

    /** @param events the security event table the dispatcher reads */
    public WebhookAlertSink(SecurityEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public void deliver(AlertChange change) {
        events.record(SecurityEventCode.FLEET_ALERT, change.alert().subject(), null, AlertJson.of(change));
    }
}
