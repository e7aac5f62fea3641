package io.gantry.backend.anomaly;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.AlertSeverity;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.config.AnomalyThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Check-ins or downloads clustered in an unexpected network region: at least
 * {@code regionMinDevices} devices seen in the window from a region ({@link NetworkRegion}, IPv4
 * prefix of {@code regionPrefixBits}) from which the baseline period saw no one. With an empty
 * baseline (a new installation) there is nothing to compare with and nothing is found.
 */
public final class NetworkRegionDetector {
    private NetworkRegionDetector() {
    }

    /** @return one WARNING per new region */
    public static List<Finding> detect(AnomalyWindow w, AnomalyThresholds t) {
        Set<String> usual = w.baselineAddresses().stream().map(a -> NetworkRegion.of(a, t.regionPrefixBits()))
                .filter(Objects::nonNull).collect(Collectors.toSet());
        if (usual.isEmpty()) {
            return List.of();
        }
        Map<String, Set<String>> devices = new TreeMap<>();
        for (AnomalyWindow.Sighting s : w.sightings()) {
            String region = NetworkRegion.of(s.address(), t.regionPrefixBits());
            if (region != null && !usual.contains(region)) {
                devices.computeIfAbsent(region, k -> new TreeSet<>()).add(s.device());
            }
        }
        List<Finding> out = new ArrayList<>();
        devices.forEach((region, seen) -> {
            if (seen.size() >= t.regionMinDevices()) {
                out.add(Finding.of(AlertKind.UNUSUAL_REGION, region, AlertSeverity.WARNING, seen.size() + " device(s) since " + w.from()
                        + " from " + region + ", a region not seen in the " + w.baseline().toDays() + "-day baseline ("
                        + usual.size() + " usual regions): " + seen.stream().limit(10).collect(Collectors.joining(", "))));
            }
        });
        return out;
    }
}
