package io.gantry.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.release.ReleaseKind;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.DatabaseSettings;
import io.gantry.backend.db.ActionRepository;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.ReleaseRepository;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.rollout.RolloutScheduler;
import io.gantry.backend.rollout.RolloutServices;
import io.gantry.backend.rollout.RolloutSpecJson;
import io.gantry.backend.rollout.Rollouts;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.EcKeys;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Rollout planning over a large fleet (a harness, not a test; docs/benchmarks.md). A real backend
 * stores a signed release; then {@code devices} targets and one real device certificate each
 * (issued by the PKI's intermediate, one shared key pair to save key generation) are inserted in
 * bulk, as if that many gateways had polled once. The backend's own {@link RolloutScheduler} then
 * runs on that database, ticked here so each step is timed alone:
 * <ol>
 *   <li>time to plan: the tick after creation (groups and members of every device inserted, first
 *       group started, its devices started);</li>
 *   <li>threshold met to next group started: every canary action set FINISHED, then the tick that
 *       finishes the canary, starts the next group and starts its devices (up to the rate limit);
 *       also the time until the group's RUNNING state is visible to another connection.</li>
 * </ol>
 */
public final class RolloutPlanningBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DEFAULTS = Map.of("devices", "100000", "canary", "10", "max-per-minute", "1000",
            "work", "", "db-url", "", "db-user", "", "db-password", "", "runs", "1");

    private RolloutPlanningBench() {
    }

    /** @param args {@code --name value} options; see {@link #DEFAULTS} */
    public static void main(String[] args) throws Exception {
        SimOptions o = SimOptions.parse(args, DEFAULTS);
        Path work = o.text("work").isEmpty() ? Files.createTempDirectory("gantry-plan-bench") : Path.of(o.text("work"));
        run(o, Files.createDirectories(work));
        System.exit(0);
    }

    private static void run(SimOptions o, Path work) throws Exception {
        Clock clock = Clock.systemUTC();
        int n = o.number("devices");
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:1"), clock);
        pki.issueOperator("bench-operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), List.of("alice", "bob"), 0, 1);
        DatabaseSettings db = o.text("db-url").isEmpty() ? DatabaseSettings.EMBEDDED
                : DatabaseSettings.postgresql(o.text("db-url"), o.text("db-user"), o.text("db-password"));
        long releaseId;
        Path data = work.resolve("backend");
        try (BackendServer server = BackendServer.start(BackendConfig.fromPki(data, pki, trust).withPort(0).withRevocationPort(0)
                .withDatabase(db), EnrollmentConfig.fromPki(pki), clock)) {
            ReleaseFixture releases = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")),
                    "alice", clock);
            Path image = Files.write(work.resolve("fw.bin"), new byte[4096]);
            ManagementClient mgmt = new ManagementClient(server.baseUri(), pki.loadOperator("bench-operator"), pki.rootCaPem());
            releaseId = mgmt.uploadRelease(releases.signed("plan-fw", "1.1.0", ReleaseKind.FIRMWARE, ReleaseFixture.SENSOR_TYPE, "fw.bin", image))
                    .path("id").asLong();
        }
        try (Database database = Database.open(db, data.resolve("db"))) {
            insertFleet(database, pki, clock, n);
            SecurityEvents events = new SecurityEvents(database, new SecurityEventRepository(), clock, 10_000);
            RolloutServices services = new RolloutServices(clock, database, new ReleaseRepository(), new ActionRepository(), events);
            RolloutScheduler scheduler = new RolloutScheduler(services);
            Rollouts rollouts = new Rollouts(services, scheduler);
            for (int run = 1; run <= o.number("runs"); run++) {
                ObjectNode spec = JSON.createObjectNode().put("name", "plan " + run).put("releaseId", releaseId)
                        .put("canary", o.number("canary")).put("maxStartsPerMinute", o.number("max-per-minute"));
                spec.putArray("percentages").add(1).add(10).add(50).add(100);
                long id = rollouts.create(RolloutSpecJson.parse(spec)).id();
                long t0 = System.nanoTime();
                scheduler.tick();
                long plan = System.nanoTime() - t0;
                FleetSimulator.result("plan-tick-ms", plan / 1e6);
                FleetSimulator.result("members", count(database, "SELECT COUNT(*) FROM rollout_members WHERE rollout_id = " + id));
                FleetSimulator.result("started-after-plan",
                        count(database, "SELECT COUNT(*) FROM rollout_members WHERE action_id IS NOT NULL AND rollout_id = " + id));
                int finished = database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE actions SET status = 'FINISHED' WHERE id IN "
                            + "(SELECT action_id FROM rollout_members WHERE rollout_id = ? AND group_position = 0)")) {
                        ps.setLong(1, id);
                        return ps.executeUpdate();
                    }
                });
                FleetSimulator.result("canary-finished", finished);
                long[] visible = {0};
                Thread watcher = new Thread(() -> visible[0] = waitForGroup(database, id, 1));
                long t1 = System.nanoTime();
                watcher.start();
                scheduler.tick();
                long advance = System.nanoTime() - t1;
                watcher.join();
                FleetSimulator.result("next-group-running-visible-ms", (visible[0] - t1) / 1e6);
                FleetSimulator.result("advance-tick-ms", advance / 1e6);
                FleetSimulator.result("started-after-advance",
                        count(database, "SELECT COUNT(*) FROM rollout_members WHERE action_id IS NOT NULL AND rollout_id = " + id));
                rollouts.cancel(id);
            }
        }
    }

    /** @return System.nanoTime() when group {@code position} of the rollout is RUNNING, seen from another connection */
    private static long waitForGroup(Database database, long rolloutId, int position) {
        try {
            while (true) {
                String state = database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT state FROM rollout_groups WHERE rollout_id = ? AND position = ?")) {
                        ps.setLong(1, rolloutId);
                        ps.setInt(2, position);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? rs.getString(1) : "";
                        }
                    }
                });
                if (!state.equals("SCHEDULED")) {
                    return System.nanoTime();
                }
                Thread.sleep(2);
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Inserts {@code n} targets and a GOOD device certificate for each, in batches. */
    private static void insertFleet(Database database, PkiDirectory pki, Clock clock, int n) throws Exception {
        ProtectedKeyStore intermediate = pki.loadIntermediate();
        X509Certificate caCert = (X509Certificate) intermediate.chain().get(0);
        CertificateAuthority ca = new CertificateAuthority(intermediate.privateKey(), caCert, clock);
        String issuerKeyId = RevocationEndpoints.keyIdOf(caCert);
        KeyPair shared = EcKeys.generateP256();
        Instant now = clock.instant();
        long t0 = System.nanoTime();
        int batch = 1000;
        for (int from = 0; from < n; from += batch) {
            int start = from;
            int end = Math.min(n, from + batch);
            database.inTransaction(c -> {
                try (PreparedStatement t = c.prepareStatement("INSERT INTO targets (controller_id, first_seen, last_seen) VALUES (?, ?, ?)");
                        PreparedStatement cert = c.prepareStatement("INSERT INTO issued_certificates (serial, subject, issuer, "
                                + "issuer_key_id, role, not_before, not_after, status, sha256, certificate) VALUES (?, ?, ?, ?, ?, ?, ?, 'GOOD', ?, ?)")) {
                    for (int i = start; i < end; i++) {
                        String id = FleetSimulator.deviceId(i);
                        t.setString(1, id);
                        t.setObject(2, utc(now));
                        t.setObject(3, utc(now));
                        t.addBatch();
                        X509Certificate x = ca.issueDevice(id, shared.getPublic()).get(0);
                        cert.setString(1, x.getSerialNumber().toString(16));
                        cert.setString(2, x.getSubjectX500Principal().getName());
                        cert.setString(3, x.getIssuerX500Principal().getName());
                        cert.setString(4, issuerKeyId);
                        cert.setString(5, "devices");
                        cert.setObject(6, utc(x.getNotBefore().toInstant()));
                        cert.setObject(7, utc(x.getNotAfter().toInstant()));
                        cert.setString(8, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(x.getEncoded())));
                        cert.setBytes(9, x.getEncoded());
                        cert.addBatch();
                    }
                    t.executeBatch();
                    cert.executeBatch();
                } catch (java.security.GeneralSecurityException e) {
                    throw new SQLException(e);
                }
                return null;
            });
        }
        FleetSimulator.result("fleet-insert-seconds", (System.nanoTime() - t0) / 1e9);
        FleetSimulator.result("targets", count(database, "SELECT COUNT(*) FROM targets"));
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static long count(Database database, String sql) throws SQLException {
        return database.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
