package io.gantry.renewal.internal;

import io.gantry.api.keystore.DeviceIdentity;
import io.gantry.api.renewal.RenewalPhase;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tells people about renewal trouble. From ESCALATED on, every failed attempt is logged at ERROR
 * and its state reported to the backend; in EMERGENCY and EXPIRED the log line asks for an
 * operator. A success after an escalation is reported too, so the backend's alert clears.
 */
final class RenewalReports {
    private static final System.Logger LOG = System.getLogger(RenewalReports.class.getName());

    private final ConfigDataReporter reporter;
    private final DeviceIdentity identity;
    private volatile boolean backendSupportsConfigData = true;

    RenewalReports(ConfigDataReporter reporter, DeviceIdentity identity) {
        this.reporter = reporter;
        this.identity = identity;
    }

    /** @param phaseOfAttempt the phase the attempt was made in; {@code after} the resulting state */
    void afterAttempt(RenewalPhase phaseOfAttempt, RenewalState after) {
        boolean failed = after.lastError() != null;
        boolean escalated = phaseOfAttempt.compareTo(RenewalPhase.ESCALATED) >= 0;
        if (failed) {
            System.Logger.Level level = escalated ? System.Logger.Level.ERROR : System.Logger.Level.WARNING;
            LOG.log(level, "certificate renewal failed ({0}, {1} failures, certificate valid until {2}, next attempt {3}): {4}",
                    phaseOfAttempt, after.failures(), after.notAfter(), after.nextAttempt(), after.lastError());
            if (phaseOfAttempt.compareTo(RenewalPhase.EMERGENCY) >= 0) {
                LOG.log(System.Logger.Level.ERROR, "OPERATOR ACTION NEEDED: device {0} certificate {1} at {2}; "
                        + "without renewal it loses its backend connection", identity.deviceId(),
                        phaseOfAttempt == RenewalPhase.EXPIRED ? "expired" : "expires", after.notAfter());
            }
        }
        if (escalated) {
            send(phaseOfAttempt, after);
        }
    }

    private void send(RenewalPhase phaseOfAttempt, RenewalState after) {
        if (!backendSupportsConfigData) {
            return;
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("cert.notAfter", after.notAfter().toString());
        data.put("cert.renewal", after.lastError() == null ? "RENEWED" : phaseOfAttempt.name());
        data.put("cert.lastError", after.lastError() == null ? "" : after.lastError());
        data.put("cert.nextAttempt", after.nextAttempt().toString());
        try {
            // The current identity: after a success, the renewed certificate.
            switch (reporter.report(identity.sslContext(), identity.deviceId(), data)) {
                case NOT_SUPPORTED -> {
                    backendSupportsConfigData = false;
                    LOG.log(System.Logger.Level.WARNING, "backend has no configData endpoint: renewal status is not reported");
                }
                case FAILED -> LOG.log(System.Logger.Level.WARNING, "backend refused the renewal status report");
                case SENT -> LOG.log(System.Logger.Level.DEBUG, "renewal status reported");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot report renewal status: {0}", e.toString());
        }
    }

    boolean backendSupportsConfigData() {
        return backendSupportsConfigData;
    }
}
