package io.gantry.backend.anomaly;

import io.gantry.backend.alerts.AlertKind;
import io.gantry.backend.alerts.AlertSeverity;
import io.gantry.backend.alerts.Finding;
import io.gantry.backend.config.AnomalyThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A cloned identity: one device identity (its certificate CN; check-ins also name the serial) seen
 * from more than {@code cloneMaxAddresses} distinct addresses within the window. A single gateway
 * behind one uplink uses one address, a roaming one a few; copies of its key in several places use
 * several at once.
 */
public final class ClonedIdentityDetector {
    private ClonedIdentityDetector() {
    }

    /** @return one CRITICAL per identity over the limit */
    public static List<Finding> detect(AnomalyWindow w, AnomalyThresholds t) {
        Map<String, Set<String>> addresses = new TreeMap<>();
        Map<String, Set<String>> serials = new TreeMap<>();
        for (AnomalyWindow.Sighting s : w.sightings()) {
            if (s.address() == null) {
                continue;
            }
            addresses.computeIfAbsent(s.device(), k -> new TreeSet<>()).add(s.address());
            if (s.serial() != null) {
                serials.computeIfAbsent(s.device(), k -> new TreeSet<>()).add(s.serial());
            }
        }
        List<Finding> out = new ArrayList<>();
        addresses.forEach((device, seen) -> {
            if (seen.size() > t.cloneMaxAddresses()) {
                out.add(Finding.of(AlertKind.CLONED_IDENTITY, device, AlertSeverity.CRITICAL, seen.size()
                        + " distinct addresses since " + w.from() + " (limit " + t.cloneMaxAddresses() + "): "
                        + String.join(", ", first(seen, 10)) + "; certificate serial(s) " + serials.getOrDefault(device, Set.of())));
            }
        });
        return out;
    }

    private static List<String> first(Set<String> s, int n) {
        return s.stream().limit(n).toList();
    }
}
