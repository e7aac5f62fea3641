package io.gantry.backend;

import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.ddi.DownloadLimiter;
import io.gantry.backend.est.EstEnrollment;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.metrics.BackendMetrics;
import io.gantry.backend.mgmt.ActiveTrustRoot;
import io.gantry.backend.revocation.RevocationService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What the resources share: configuration, clock, storage and the release trust root, which is
 * read at start ({@link ReleaseTrust}) and rotated by trust-root releases while the server runs.
 *
 * @param config the validated configuration
 * @param clock the time source, read once per operation
 * @param database the database
 * @param artifacts payload storage
 * @param trust the release trust root every upload is authorized against, rotated by trust-root releases
 * @param spoolDir where uploads are spooled while they are checked
 * @param targets the targets table
 * @param releases the releases tables
 * @param actions the actions tables
 * @param securityEvents where every rejection is recorded
 * @param revocation certificate registry, CRL and OCSP; {@code null} only in unit tests that serve no TLS
 * @param est EST enrollment with the online issuing CA, {@code null} when the backend has none (EST paths answer 404)
 * @param downloads the per-device download quota in force
 * @param metrics the registry and event counters (docs/metrics.md)
 */
public record BackendServices(BackendConfig config, Clock clock, Database database, ArtifactStore artifacts,
        ActiveTrustRoot trust, Path spoolDir, TargetRepository targets, ReleaseRepository releases,
        ActionRepository actions, SecurityEvents securityEvents, EstEnrollment est,
        RevocationService revocation, DownloadLimiter downloads, BackendMetrics metrics) {
    /** @throws NullPointerException without a trust root */
    public BackendServices {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(downloads, "downloads");
        Objects.requireNonNull(metrics, "metrics");
    }
}
