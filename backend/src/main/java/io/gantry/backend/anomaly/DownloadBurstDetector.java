package io.gantry.backend.anomaly;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.AlertSeverity;
import io.gantry.backend.alerts.AlertSubject;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.config.AnomalyThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bursts well above the baseline: a device whose download requests in the window exceed
 * {@code burstFactor} times its baseline rate scaled to the window (at least one request), with at
 * least {@code burstMinRequests}; the same for the whole fleet with ten times that minimum.
 */
public final class DownloadBurstDetector {
    /** Subject of a fleet-wide burst. */
    public static final String FLEET = "fleet";

    private DownloadBurstDetector() {
    }

    /** @return WARNING per bursting device, CRITICAL for a fleet-wide burst */
    public static List<Finding> detect(AnomalyWindow w, AnomalyThresholds t) {
        double scale = (double) w.length().toMillis() / w.baseline().toMillis();
        Map<String, Long> counts = new TreeMap<>();
        w.downloads().forEach(d -> counts.merge(d.device(), 1L, Long::sum));
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            double expected = Math.max(1.0, w.baselineDownloads().getOrDefault(e.getKey(), 0L) * scale);
            if (e.getValue() >= t.burstMinRequests() && e.getValue() > t.burstFactor() * expected) {
                out.add(Finding.of(AlertKind.DOWNLOAD_BURST, e.getKey(), AlertSeverity.WARNING, describe(e.getValue(), expected, w, t)));
            }
        }
        long total = w.downloads().size();
        double fleetExpected = Math.max(1.0, w.baselineDownloads().values().stream().mapToLong(Long::longValue).sum() * scale);
        if (total >= 10L * t.burstMinRequests() && total > t.burstFactor() * fleetExpected) {
            out.add(new Finding(AlertKind.DOWNLOAD_BURST, AlertSubject.FLEET, FLEET, AlertSeverity.CRITICAL,
                    "fleet: " + describe(total, fleetExpected, w, t)));
        }
        return out;
    }

    private static String describe(long count, double expected, AnomalyWindow w, AnomalyThresholds t) {
        return String.format(java.util.Locale.ROOT, "%d download requests since %s, baseline %.1f for a window this long (factor %d)",
                count, w.from(), expected, t.burstFactor());
    }
}
