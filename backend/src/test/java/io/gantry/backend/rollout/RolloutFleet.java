package io.gantry.backend.rollout;

import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TargetAttributeRepository;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.testing.TestClock;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real database (H2, or PostgreSQL in the backend's second test run) with targets, a release row, certificates on record and a test clock, for rollout tests. */
final class RolloutFleet implements AutoCloseable {
    final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    final Database db;
    final RolloutServices services;
    final RolloutScheduler scheduler;
    final Rollouts rollouts;
    final ActionRepository actions = new ActionRepository();
    final long releaseId;

    RolloutFleet(Path dir) throws Exception {
        db = io.gantry.backend.db.TestDatabases.open(dir);
        services = new RolloutServices(clock, db, new ReleaseRepository(), actions,
                new SecurityEvents(db, new SecurityEventRepository(), clock, 10_000));
        scheduler = new RolloutScheduler(services);
        rollouts = new Rollouts(services, scheduler);
        releaseId = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO releases (name, version, kind, target, metadata, "
                    + "signatures, signer_key_ids, created_at) VALUES ('fw', '2.0.0', 'FIRMWARE', 'board', ?, ?, 'k', ?)",
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                ps.setBytes(1, new byte[] {0});
                ps.setBytes(2, new byte[] {0});
                ps.setObject(3, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** A target with a GOOD certificate valid for a year and these attributes. */
    void device(String id, Map<String, String> attributes) throws Exception {
        device(id, attributes, Duration.ofDays(365));
    }

    void device(String id, Map<String, String> attributes, Duration certificateLeft) throws Exception {
        db.inTransaction(c -> {
            new TargetRepository().ensureExists(c, id, clock.instant());
            new TargetAttributeRepository().merge(c, id, attributes, clock.instant());
            if (certificateLeft != null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO issued_certificates (serial, subject, issuer, "
                        + "issuer_key_id, role, not_before, not_after, status, sha256, certificate) VALUES (?, ?, 'CN=ca', 'k', "
                        + "'device', ?, ?, 'GOOD', ?, ?)")) {
                    ps.setString(1, Integer.toHexString(id.hashCode()));
                    ps.setString(2, "CN=" + id + ",OU=devices,O=Gantry");
                    ps.setObject(3, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                    ps.setObject(4, OffsetDateTime.ofInstant(clock.instant().plus(certificateLeft), ZoneOffset.UTC));
                    ps.setString(5, "0".repeat(64));
                    ps.setBytes(6, new byte[] {0});
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    void tag(String id, String tag) throws Exception {
        db.inTransaction(c -> {
            new TagRepository().add(c, id, java.util.Set.of(tag));
            return null;
        });
    }

    /** @return the ids of the rollout's actions with their device, oldest first */
    List<long[]> actionIds(long rolloutId) throws Exception {
        return db.inTransaction(c -> {
            List<long[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT action_id FROM rollout_members WHERE rollout_id = ? "
                    + "AND action_id IS NOT NULL ORDER BY action_id")) {
                ps.setLong(1, rolloutId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new long[] {rs.getLong(1)});
                    }
                }
            }
            return out;
        });
    }

    /** Closes the action as the device would: FINISHED or ERROR. */
    void close(long actionId, boolean success) throws Exception {
        db.inTransaction(c -> actions.transition(c, actionId, actions.find(c, actionId).orElseThrow().status(),
                success ? io.gantry.backend.db.ActionStatus.FINISHED : io.gantry.backend.db.ActionStatus.ERROR, clock.instant()));
    }

    long count(String sql) throws Exception {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void close() {
        scheduler.close();
        db.close();
    }
}
