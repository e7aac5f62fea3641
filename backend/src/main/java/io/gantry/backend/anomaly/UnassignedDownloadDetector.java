package io.gantry.backend.anomaly;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.AlertSeverity;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.config.AnomalyThresholds;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Downloads by devices without an assignment: download-log entries for a release the device has
 * no action for (refused or not: asking is the signal). One finding per device.
 */
public final class UnassignedDownloadDetector {
    private UnassignedDownloadDetector() {
    }

    /** @return one WARNING per device with at least {@code unassignedMinRequests} such entries */
    public static List<Finding> detect(AnomalyWindow w, AnomalyThresholds t) {
        Map<String, TreeSet<Long>> releases = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (AnomalyWindow.Download d : w.downloads()) {
            if (!d.assigned()) {
                releases.computeIfAbsent(d.device(), k -> new TreeSet<>()).add(d.releaseId());
                counts.merge(d.device(), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().filter(e -> e.getValue() >= t.unassignedMinRequests())
                .map(e -> Finding.of(AlertKind.UNASSIGNED_DOWNLOAD, e.getKey(), AlertSeverity.WARNING,
                        e.getValue() + " download request(s) since " + w.from() + " for release(s) " + releases.get(e.getKey())
                                + " the device has no action for"))
                .toList();
    }
}
