package io.gantry.backend.mgmt;

import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.release.TrustRoot;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the management API needs from the server: the server's assembly builds it, so this package
 * depends on storage, events and the release format, never on the assembly.
 *
 * @param clock the time source, read once per operation
 * @param database the database
 * @param artifacts payload storage
 * @param trust the release trust root every upload is authorized against, rotated by trust-root releases
 * @param spoolDir where uploads are spooled while they are checked
 * @param maxUploadBytes the largest release archive accepted
 * @param targets the targets table
 * @param releases the releases tables
 * @param actions the actions tables
 * @param securityEvents where every rejection is recorded
 */
public record ManagementServices(Clock clock, Database database, ArtifactStore artifacts, ActiveTrustRoot trust,
        Path spoolDir, long maxUploadBytes, TargetRepository targets, ReleaseRepository releases,
        ActionRepository actions, SecurityEvents securityEvents) {
    /** @throws NullPointerException when any part is missing */
    public ManagementServices {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(spoolDir, "spoolDir");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(releases, "releases");
        Objects.requireNonNull(actions, "actions");
        Objects.requireNonNull(securityEvents, "securityEvents");
    }

    /** @return the trust root in force now */
    public TrustRoot trustRoot() {
        return trust.current();
    }
}
