package io.gantry.backend.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every alert change to the backend's log: WARN for opened and escalated, INFO for the rest. */
public final class LogAlertSink implements AlertSink {
    private static final Logger LOG = LoggerFactory.getLogger("io.gantry.backend.alerts.FleetAlerts");

    @Override
    public void deliver(AlertChange change) {
        FleetAlert a = change.alert();
        String line = "fleet alert {} {}: {} {} {} ({}): {}";
        Object[] args = {a.id(), change.change(), a.severity(), a.kind(), a.subject(), a.subjectType(), a.message()};
        if (change.change() == AlertChange.Change.OPENED || change.change() == AlertChange.Change.ESCALATED) {
            LOG.warn(line, args);
        } else {
            LOG.info(line, args);
        }
    }
}
