package io.gantry.backend.incident;

import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.mgmt.ActiveTrustRoot;
import io.gantry.backend.revocation.RevocationService;
import io.gantry.backend.rollout.Rollouts;
import java.time.Clock;
import java.util.Objects;

/**
 * What the incident endpoints need; built by the assembly.
 *
 * @param clock the time source, read once per operation
 * @param database the database
 * @param artifacts payload storage (a release's archive is rebuilt from it for re-signing)
 * @param releases the releases tables
 * @param actions the actions tables: who installed what
 * @param rollouts rollout operations (pause, resume, cancel)
 * @param trust the release trust root in force
 * @param securityEvents where every step is recorded
 * @param revocation the certificate registry and issuance-log import, {@code null} in unit tests that serve no TLS
 */
public record IncidentServices(Clock clock, Database database, ArtifactStore artifacts, ReleaseRepository releases,
        ActionRepository actions, Rollouts rollouts, ActiveTrustRoot trust, SecurityEvents securityEvents,
        RevocationService revocation) {
    /** @throws NullPointerException when a required part is missing */
    public IncidentServices {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(artifacts, "artifacts");
        Objects.requireNonNull(releases, "releases");
        Objects.requireNonNull(actions, "actions");
        Objects.requireNonNull(rollouts, "rollouts");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(securityEvents, "securityEvents");
    }
}
