package io.gantry.backend.anomaly;

import io.gantry.backend.config.AnomalyThresholds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds synthetic windows of download-log entries, check-ins and assignments for the detector tests. */
final class SyntheticLog {
    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    static final AnomalyThresholds T = AnomalyThresholds.DEFAULT;
    final List<AnomalyWindow.Download> downloads = new ArrayList<>();
    final List<AnomalyWindow.Sighting> sightings = new ArrayList<>();
    final List<AnomalyWindow.Assignment> assignments = new ArrayList<>();
    final Map<String, Long> baselineDownloads = new HashMap<>();
    final Set<String> baselineAddresses = new HashSet<>();
    private long nextAction = 1;

    /** {@code n} downloads by {@code device} from {@code address} of {@code release}, spread over the window. */
    SyntheticLog download(String device, String address, long release, boolean assigned, int n) {
        for (int i = 0; i < n; i++) {
            Instant at = NOW.minusSeconds(1 + (i * 3000L / Math.max(1, n)));
            downloads.add(new AnomalyWindow.Download(at, device, address, release, assigned));
            sightings.add(new AnomalyWindow.Sighting(at, device, null, address));
        }
        return this;
    }

    SyntheticLog checkIn(String device, String serial, String address) {
        sightings.add(new AnomalyWindow.Sighting(NOW.minusSeconds(60), device, serial, address));
        return this;
    }

    SyntheticLog assign(String device, long release, boolean inRollout) {
        assignments.add(new AnomalyWindow.Assignment(nextAction++, device, release, NOW.minusSeconds(120), inRollout));
        return this;
    }

    SyntheticLog baseline(String device, long downloadsInBaseline, String address) {
        baselineDownloads.merge(device, downloadsInBaseline, Long::sum);
        baselineAddresses.add(address);
        return this;
    }

    AnomalyWindow window() {
        return new AnomalyWindow(NOW.minus(T.window()), NOW, T.baseline(), downloads, sightings, assignments, baselineDownloads,
                baselineAddresses);
    }

    /** The baseline downloads of one device that make {@code perWindow} its usual rate per window. */
    static long perWindow(double perWindow) {
        return Math.round(perWindow * T.baseline().toMillis() / (double) T.window().toMillis());
    }
}
