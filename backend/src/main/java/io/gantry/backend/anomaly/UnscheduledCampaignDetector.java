package io.gantry.backend.anomaly;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.AlertSeverity;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.config.AnomalyThresholds;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An update campaign nobody scheduled: one release given to at least {@code campaignMinDevices}
 * devices within the window by actions that no rollout created. Fleet-wide updates go through
 * rollouts (groups, error threshold, rate); many single assignments in a short time are a script or
 * a stolen operator credential at work, or rows written past the API.
 */
public final class UnscheduledCampaignDetector {
    private UnscheduledCampaignDetector() {
    }

    /** @return one CRITICAL per release over the limit */
    public static List<Finding> detect(AnomalyWindow w, AnomalyThresholds t) {
        Map<Long, Set<String>> devices = new TreeMap<>();
        for (AnomalyWindow.Assignment a : w.assignments()) {
            if (!a.inRollout()) {
                devices.computeIfAbsent(a.releaseId(), k -> new TreeSet<>()).add(a.device());
            }
        }
        return devices.entrySet().stream().filter(e -> e.getValue().size() >= t.campaignMinDevices())
                .map(e -> Finding.of(AlertKind.UNSCHEDULED_CAMPAIGN, Long.toString(e.getKey()), AlertSeverity.CRITICAL,
                        "release " + e.getKey() + " assigned to " + e.getValue().size() + " devices since " + w.from()
                                + " outside any rollout (limit " + t.campaignMinDevices() + ")"))
                .toList();
    }
}
