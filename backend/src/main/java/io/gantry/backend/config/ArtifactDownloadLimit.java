package io.gantry.backend.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How often one device may download the same artifact of a release (the seed's "one download per
 * device per hour"), counted in the database so it holds across restarts and backend nodes. A
 * download counts once the artifact's last byte has been sent: a whole-file answer, or the range
 * that finishes a resumed download. Interrupted transfers do not count, so a device resumes with a
 * {@code Range} (or starts again) at any time. Past the limit the device gets
 * {@code 429 DOWNLOAD_REPEATED} with {@code Retry-After} until the window ends. An operator who
 * assigns the release to the device again (a new action) opens a new window.
 *
 * @param downloads complete downloads of one artifact per device per window
 * @param window the accounting period, opened by the first counted download
 */
public record ArtifactDownloadLimit(int downloads, Duration window) {
    /** One complete download of each artifact per device per hour. */
    public static final ArtifactDownloadLimit DEFAULT = new ArtifactDownloadLimit(1, Duration.ofHours(1));

    /** @throws IllegalArgumentException unless both values are positive */
    public ArtifactDownloadLimit {
        Objects.requireNonNull(window, "window");
        if (downloads <= 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("artifact download limit values must be positive: " + downloads
                    + " downloads per " + window);
        }
    }
}
