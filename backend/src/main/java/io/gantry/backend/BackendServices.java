package io.gantry.backend;

import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.events.SecurityEvents;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;

/**
 * What the resources share: configuration, clock, storage and the release trust set, which is
 * read once at start and never changes while the server runs.
 *
 * @param config the validated configuration
 * @param clock the time source, read once per operation
 * @param database the database
 * @param artifacts payload storage
 * @param releaseKeys trusted release-signing keys by key id (never empty)
 * @param spoolDir where uploads are spooled while they are checked
 * @param targets the targets table
 * @param releases the releases tables
 * @param actions the actions tables
 * @param securityEvents where every rejection is recorded
 */
public record BackendServices(BackendConfig config, Clock clock, Database database, ArtifactStore artifacts,
        Map<String, PublicKey> releaseKeys, Path spoolDir, TargetRepository targets, ReleaseRepository releases,
        ActionRepository actions, SecurityEvents securityEvents) {
    /** Copies the key map. */
    public BackendServices {
        releaseKeys = Map.copyOf(releaseKeys);
    }
}
