package io.gantry.backend.health;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.AlertSeverity;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.config.FleetHealthSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The fleet-health rules as a pure function of a {@link FleetSnapshot}: what is wrong now, as
 * {@link Finding}s for the alert book (docs/operations.md, "Fleet health").
 */
public final class FleetHealthRules {
    /** The kinds these rules own: their alerts not found again are resolved. */
    public static final Set<AlertKind> KINDS = EnumSet.of(AlertKind.CERT_EXPIRING, AlertKind.RENEWAL_FAILING,
            AlertKind.DEVICE_SILENT, AlertKind.ROLLOUT_OVER_THRESHOLD);
    /** Role of device certificates in the registry. */
    static final String DEVICE_ROLE = "devices";
    private final FleetHealthSettings settings;
    private final Duration pollingInterval;

    /**
     * @param settings warning days, silence and renewal limits
     * @param pollingInterval how long devices are told to wait between polls
     */
    public FleetHealthRules(FleetHealthSettings settings, Duration pollingInterval) {
        this.settings = settings;
        this.pollingInterval = pollingInterval;
    }

    /** @return the poll older than which a device is silent at {@code now} */
    public Instant silentBefore(Instant now) {
        return now.minus(pollingInterval.multipliedBy(settings.silentPolls()));
    }

    /** @return certificates ending before this instant are read for expiry and renewal */
    public Instant warnBefore(Instant now) {
        return now.plus(Duration.ofDays(settings.expiryDays().get(0)));
    }

    /** @return everything wrong in {@code s} at {@code now} */
    public List<Finding> evaluate(FleetSnapshot s, Instant now) {
        List<Finding> out = new ArrayList<>();
        s.ending().forEach(c -> expiry(c, now, out));
        s.ending().stream().filter(c -> DEVICE_ROLE.equals(c.role())).forEach(c -> overdueRenewal(c, s, now, out));
        for (FleetSnapshot.RenewalReport r : s.renewalReports()) {
            out.add(Finding.of(AlertKind.RENEWAL_FAILING, r.controllerId(),
                    r.code().equals("CERT_RENEWAL_ESCALATED") ? AlertSeverity.WARNING : AlertSeverity.CRITICAL,
                    "the device reported " + r.code() + " at " + r.at()));
        }
        for (FleetSnapshot.DeviceSeen d : s.silent()) {
            out.add(Finding.of(AlertKind.DEVICE_SILENT, d.controllerId(), AlertSeverity.WARNING,
                    "no poll since " + d.lastSeen() + " (" + Duration.between(d.lastSeen(), now).toMinutes() + " min; silent after "
                            + settings.silentPolls() + " polling intervals of " + pollingInterval.toSeconds() + " s)"));
        }
        for (FleetSnapshot.PausedRollout r : s.pausedRollouts()) {
            out.add(Finding.of(AlertKind.ROLLOUT_OVER_THRESHOLD, Long.toString(r.id()), AlertSeverity.CRITICAL,
                    "paused since " + r.since() + ": " + r.reason()));
        }
        return out;
    }

    /** INFO from the first warning day, WARNING from the second, CRITICAL from the last and once expired. */
    private void expiry(FleetSnapshot.CertificateEnd c, Instant now, List<Finding> out) {
        List<Integer> days = settings.expiryDays();
        long left = Duration.between(now, c.notAfter()).toDays();
        if (c.notAfter().isAfter(now.plus(Duration.ofDays(days.get(0))))) {
            return;
        }
        int step = 0;
        for (int i = 0; i < days.size(); i++) {
            if (!c.notAfter().isAfter(now.plus(Duration.ofDays(days.get(i))))) {
                step = i;
            }
        }
        AlertSeverity severity = !c.notAfter().isAfter(now) || step == days.size() - 1 && days.size() > 1 ? AlertSeverity.CRITICAL
                : step == 0 ? AlertSeverity.INFO : AlertSeverity.WARNING;
        String when = c.notAfter().isAfter(now) ? "ends in " + left + " days (" + c.notAfter() + ")" : "expired at " + c.notAfter();
        out.add(Finding.of(AlertKind.CERT_EXPIRING, c.serial(), severity, c.role() + " certificate " + c.subject() + " " + when
                + ", within the " + days.get(step) + "-day warning"));
    }

    /** Still calling with a certificate long inside its renewal window, so renewal is not working. */
    private void overdueRenewal(FleetSnapshot.CertificateEnd c, FleetSnapshot s, Instant now, List<Finding> out) {
        Instant windowOpened = c.notAfter().minus(Duration.ofDays(settings.expiryDays().get(0)));
        Instant overdueSince = windowOpened.plus(settings.renewalOverdue());
        Instant seen = s.lastSeen().get(c.commonName());
        if (c.commonName() == null || now.isBefore(overdueSince) || seen == null || seen.isBefore(overdueSince)) {
            return;
        }
        out.add(Finding.of(AlertKind.RENEWAL_FAILING, c.commonName(),
                c.notAfter().isAfter(now.plus(Duration.ofDays(settings.expiryDays().get(settings.expiryDays().size() - 1))))
                        ? AlertSeverity.WARNING : AlertSeverity.CRITICAL,
                "still polling (last " + seen + ") with certificate " + c.serial() + ", in its renewal window since " + windowOpened
                        + " and ending " + c.notAfter() + "; no renewal issued"));
    }
}
