package io.gantry.backend.mgmt;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.backend.db.ArtifactStore;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.ReleaseRow;
import io.gantry.backend.db.TrustRootActivationRepository;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootRotation;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release trust root every upload is authorized against, rotated while the server runs. A
 * trust-root release whose carried root is a valid rotation of the current one (TUF 5.3, version
 * exactly +1, signed by the old and the new root thresholds: {@link TrustRootRotation#rotate}) is
 * stored, recorded in {@code trust_root_activations} and handed to the {@link Listener} (which
 * withdraws releases that lost their threshold) in one transaction; after that transaction
 * committed, the reference switches atomically, so an upload sees either the old root or the new
 * one, never a mix. At start the recorded activations are replayed on top of the configured root
 * ({@link #restore}), so a restart keeps the rotated root, and each upload first catches up with
 * activations another node on the same database recorded ({@link #refreshed}).
 */
public final class ActiveTrustRoot {
    /** Payload names a trust-root release carries (docs/release-format.md). */
    public static final String ROOT_PAYLOAD = "trust-root.json";
    /** The signatures of {@link #ROOT_PAYLOAD}. */
    public static final String SIGNATURES_PAYLOAD = "trust-root.sigs.json";
    private static final Logger LOG = LoggerFactory.getLogger(ActiveTrustRoot.class);
    private final AtomicReference<TrustRoot> current;
    private final int minimumThreshold;
    private final TrustRootActivationRepository activations = new TrustRootActivationRepository();
    private volatile Listener listener = Listener.NONE;
    /** Set by {@link #restore}: where activations by this or another node are read from; {@code null} in unit tests. */
    private Database database;
    private ArtifactStore artifacts;

    /** Called inside the transaction that activates a new root. */
    @FunctionalInterface
    public interface Listener {
        /** Does nothing. */
        Listener NONE = (c, previous, next, releaseId, now) -> { };

        /**
         * @param previous the root being replaced
         * @param next the root becoming current once the transaction commits
         * @param releaseId the trust-root release that carried {@code next}
         */
        void activating(Connection c, TrustRoot previous, TrustRoot next, long releaseId, Instant now) throws SQLException;
    }

    /**
     * @param initial the accepted root the backend starts with
     * @param minimumThreshold the smallest role threshold a rotated root may have (the two-person rule)
     */
    public ActiveTrustRoot(TrustRoot initial, int minimumThreshold) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
        this.minimumThreshold = minimumThreshold;
    }

    /** @return the root in force now */
    public TrustRoot current() {
        return current.get();
    }

    /** Sets what runs inside each activation's transaction (the assembly binds the withdrawal of revoked-key releases). */
    public void listener(Listener l) {
        this.listener = Objects.requireNonNull(l, "listener");
    }

    /**
     * Checks that a trust-root release's payloads carry the successor of {@code from}.
     *
     * @throws ReleaseRejectedException BAD_ROTATION, THRESHOLD_NOT_MET, THRESHOLD_TOO_LOW, EXPIRED,
     *     BAD_SIGNATURE or MALFORMED: the upload is refused and nothing changes
     */
    public TrustRoot successor(TrustRoot from, byte[] rootBytes, byte[] signatureBytes, Instant now)
            throws ReleaseRejectedException {
        List<ReleaseSignature> sigs = SignatureEnvelope.parse(signatureBytes);
        return TrustRootRotation.rotate(from, rootBytes, sigs, now, minimumThreshold);
    }

    /** Records the activation inside the storing transaction and runs the listener there. */
    void record(Connection c, TrustRoot previous, TrustRoot next, long releaseId, Instant now) throws SQLException {
        activations.insert(c, next.version(), releaseId, now);
        listener.activating(c, previous, next, releaseId, now);
    }

    /**
     * Makes {@code next} current after its transaction committed.
     *
     * @return false if the root changed meanwhile (the database's primary key lets only one upload
     *     activate a version; another node's activation is picked up by {@link #refreshed})
     */
    boolean switchTo(TrustRoot previous, TrustRoot next) {
        boolean switched = current.compareAndSet(previous, next);
        if (switched) {
            LOG.warn("release trust root rotated from version {} to {} without a restart; revoked keys {}",
                    previous.version(), next.version(), next.revokedKeyIds());
        }
        return switched;
    }

    /**
     * Replays the recorded activations above the configured root's version, each as a rotation of
     * the one before, checked as it was when activated.
     *
     * @throws IllegalStateException if a recorded root does not follow the rotation rule (fail closed:
     *     the backend refuses to start rather than authorize uploads against an unproven root)
     */
    public static ActiveTrustRoot restore(TrustRoot configured, int minimumThreshold, Database database,
            ArtifactStore artifacts) throws SQLException {
        ActiveTrustRoot active = new ActiveTrustRoot(configured, minimumThreshold);
        active.database = database;
        active.artifacts = artifacts;
        TrustRoot root = active.replay(configured);
        if (root != configured) {
            LOG.info("release trust root version {} restored from trust-root release activations (configured file: version {})",
                    root.version(), configured.version());
        }
        active.current.set(root);
        return active;
    }

    /**
     * The root in force, after catching up with rotations another backend node on the same database
     * activated since (one query when there are none).
     *
     * @throws IllegalStateException if a recorded root does not follow the rotation rule
     */
    public TrustRoot refreshed() throws SQLException {
        TrustRoot root = current.get();
        if (database == null) {
            return root;
        }
        TrustRoot latest = replay(root);
        if (latest != root && current.compareAndSet(root, latest)) {
            LOG.warn("release trust root version {} activated by another node: now in force here", latest.version());
        }
        return current.get();
    }

    private TrustRoot replay(TrustRoot from) throws SQLException {
        ReleaseRepository releases = new ReleaseRepository();
        TrustRoot root = from;
        for (TrustRootActivationRepository.Activation a : database.inTransaction(c -> activations.listAbove(c, from.version()))) {
            if (a.version() <= root.version()) {
                continue;
            }
            ReleaseRow release = database.inTransaction(c -> releases.find(c, a.releaseId())).orElseThrow();
            try {
                root = successor(root, payload(artifacts, release, ROOT_PAYLOAD), payload(artifacts, release, SIGNATURES_PAYLOAD),
                        a.activatedAt());
            } catch (ReleaseRejectedException | IOException e) {
                throw new IllegalStateException("recorded trust root version " + a.version() + " (release " + a.releaseId()
                        + ") does not follow version " + root.version() + ": refusing it: " + e.getMessage(), e);
            }
        }
        return root;
    }

    private static byte[] payload(ArtifactStore artifacts, ReleaseRow release, String name) throws IOException {
        for (PayloadInfo p : release.payloads()) {
            if (p.name().equals(name)) {
                return Files.readAllBytes(artifacts.path(p.sha256()));
            }
        }
        throw new IOException("release " + release.id() + " carries no " + name);
    }
}
