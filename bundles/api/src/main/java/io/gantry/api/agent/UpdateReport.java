package io.gantry.api.agent;

import java.util.List;

/**
 * What an applied release changed.
 *
 * @param releaseName the release name
 * @param version the release version
 * @param target the device type it was for
 * @param details one line per change, for the backend's action history
 */
public record UpdateReport(String releaseName, String version, String target, List<String> details) {
    /** Copies the detail list. */
    public UpdateReport {
        details = List.copyOf(details);
    }
}
