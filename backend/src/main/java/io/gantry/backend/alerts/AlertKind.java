package io.gantry.backend.alerts;

/**
 * What a fleet alert is about (docs/operations.md, "Alert kinds"). The first four come from the
 * fleet-health evaluator, the others from the anomaly detectors. Stored by name: never rename one.
 */
public enum AlertKind {
    /** A certificate in the registry ends within 90, 30 or 7 days (severity grows at each step). */
    CERT_EXPIRING(AlertSubject.CERTIFICATE, Source.HEALTH),
    /** A device's renewal is failing: it reported so, or it still calls with a certificate well inside its renewal window. */
    RENEWAL_FAILING(AlertSubject.DEVICE, Source.HEALTH),
    /** A device stopped checking in: silent for longer than the configured number of polling intervals. */
    DEVICE_SILENT(AlertSubject.DEVICE, Source.HEALTH),
    /** A rollout paused itself because failures crossed its error threshold. */
    ROLLOUT_OVER_THRESHOLD(AlertSubject.ROLLOUT, Source.HEALTH),
    /** A device asked for artifacts of a release it has no action for. */
    UNASSIGNED_DOWNLOAD(AlertSubject.DEVICE, Source.ANOMALY),
    /** A device, or the whole fleet, downloads far more than its baseline. */
    DOWNLOAD_BURST(AlertSubject.DEVICE, Source.ANOMALY),
    /** One device identity (its certificate) seen from more addresses within the window than a single device uses: a cloned identity. */
    CLONED_IDENTITY(AlertSubject.DEVICE, Source.ANOMALY),
    /** Several devices call from a network region (address prefix) the fleet did not use in its baseline. */
    UNUSUAL_REGION(AlertSubject.NETWORK, Source.ANOMALY),
    /** Many devices were given one release outside any rollout within the window. */
    UNSCHEDULED_CAMPAIGN(AlertSubject.RELEASE, Source.ANOMALY);

    /** Which periodic job raises and resolves alerts of a kind. */
    public enum Source {
        /** The fleet-health evaluator. */
        HEALTH,
        /** The anomaly scan. */
        ANOMALY
    }

    private final AlertSubject subject;
    private final Source source;

    AlertKind(AlertSubject subject, Source source) {
        this.subject = subject;
        this.source = source;
    }

    /** @return what the subject of an alert of this kind usually names (a fleet-wide burst names the fleet) */
    public AlertSubject subject() {
        return subject;
    }

    /** @return the job that raises and resolves it */
    public Source source() {
        return source;
    }
}
