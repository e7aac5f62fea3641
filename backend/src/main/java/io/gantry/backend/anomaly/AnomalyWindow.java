package io.gantry.backend.anomaly;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the detectors judge: the records of the recent window and a summary of the baseline period
 * before it.
 *
 * @param from start of the window (inclusive)
 * @param to end of the window (inclusive): the scan's instant
 * @param baseline length of the baseline period, which ends at {@code from}
 * @param downloads download-log entries of the window
 * @param sightings device identities seen in the window, with their addresses (check-ins and downloads)
 * @param assignments actions created in the window
 * @param baselineDownloads download-log entries per device in the baseline period
 * @param baselineAddresses distinct addresses seen in the baseline period (check-ins and downloads)
 */
public record AnomalyWindow(Instant from, Instant to, Duration baseline, List<Download> downloads, List<Sighting> sightings,
        List<Assignment> assignments, Map<String, Long> baselineDownloads, Set<String> baselineAddresses) {
    /** Copies every collection. */
    public AnomalyWindow {
        downloads = List.copyOf(downloads);
        sightings = List.copyOf(sightings);
        assignments = List.copyOf(assignments);
        baselineDownloads = Map.copyOf(baselineDownloads);
        baselineAddresses = Set.copyOf(baselineAddresses);
    }

    /** @return the window's length */
    public Duration length() {
        return Duration.between(from, to);
    }

    /**
     * One download-log entry.
     *
     * @param at when
     * @param device the controller id
     * @param address its address, or {@code null}
     * @param releaseId the release asked for
     * @param assigned whether the device has an action for that release
     */
    public record Download(Instant at, String device, String address, long releaseId, boolean assigned) {
    }

    /**
     * A device identity seen at an address.
     *
     * @param at when
     * @param device the controller id (certificate CN)
     * @param serial the certificate's hex serial, or {@code null} where the record does not say (the download log)
     * @param address the client address
     */
    public record Sighting(Instant at, String device, String serial, String address) {
    }

    /**
     * An action created in the window.
     *
     * @param actionId the action
     * @param device its controller id
     * @param releaseId its release
     * @param createdAt when it was created
     * @param inRollout whether a rollout created it
     */
    public record Assignment(long actionId, String device, long releaseId, Instant createdAt, boolean inRollout) {
    }
}
