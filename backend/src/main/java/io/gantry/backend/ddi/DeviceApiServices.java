package io.gantry.backend.ddi;

import io.gantry.backend.config.ArtifactDownloadLimit;
import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.events.SecurityEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the device API needs from the server, and nothing more: the server's assembly builds it,
 * so this package depends on storage and events, never on the assembly.
 *
 * @param clock the time source, read once per operation
 * @param database the database
 * @param artifacts payload storage
 * @param targets the targets table
 * @param releases the releases tables
 * @param actions the actions tables
 * @param securityEvents where every rejection is recorded
 * @param downloads the per-node flood guard on artifact requests
 * @param artifactLimit complete downloads of one artifact per device per window, counted in the database
 * @param offload signed payload links to a reverse proxy or CDN; {@code null} when the backend serves them itself
 * @param pollingSleep the polling interval the device is told
 */
public record DeviceApiServices(Clock clock, Database database, ArtifactStore artifacts, TargetRepository targets,
        ReleaseRepository releases, ActionRepository actions, SecurityEvents securityEvents, DownloadLimiter downloads,
        ArtifactDownloadLimit artifactLimit, SignedLinks offload, Duration pollingSleep) {
    /** @throws NullPointerException when any part is missing */
    public DeviceApiServices {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(releases, "releases");
        Objects.requireNonNull(actions, "actions");
        Objects.requireNonNull(securityEvents, "securityEvents");
        Objects.requireNonNull(downloads, "downloads");
        Objects.requireNonNull(artifactLimit, "artifactLimit");
        Objects.requireNonNull(pollingSleep, "pollingSleep");
    }
}
