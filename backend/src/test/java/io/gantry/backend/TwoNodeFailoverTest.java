package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.backend.config.DatabaseSettings;
import io.gantry.backend.db.DownloadLogRepository;
import io.gantry.backend.revocation.CertificateRegistry;
import io.gantry.testing.TestPostgres;
import io.gantry.testing.TestReleases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two backend nodes on one PostgreSQL database (in both Surefire runs: an embedded H2 database
 * cannot be shared by two processes), sharing the data folder, PKI and release trust root, as a
 * load-balanced deployment would: node A in a JVM of its own, node B in the test's. Devices are
 * real mutual-TLS clients with their own certificates. A revocation made through node A is refused
 * on node B once {@link CertificateRegistry#VISIBILITY} has passed, though node B held the device
 * GOOD in memory. A rollout created and half done through node A goes on after node A is killed
 * (SIGKILL) and finishes on node B: every group started once, every device got exactly one action,
 * every accepted feedback is stored, and the download log, written by both nodes, verifies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodeFailoverTest {
    private static final String SUCCESS = "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}";
    private static final int DEVICES = 8;
    @TempDir
    static Path tmp;
    static DatabaseSettings db;
    static BackendFixture nodeB;
    static BackendNodeProcess nodeA;
    static HttpClient operator;

    @BeforeAll
    static void start() throws Exception {
        db = DatabaseSettings.postgresql(TestPostgres.createDatabase(), TestPostgres.USER, TestPostgres.PASSWORD);
        nodeB = new BackendFixture(tmp, c -> c.withDatabase(db), null);
        nodeA = BackendNodeProcess.start(nodeB.config.dataDir(), tmp.resolve("pki"), nodeB.config.releaseTrustRoot(), db,
                tmp.resolve("node-a.log"));
        operator = nodeB.operator("ops");
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
    }

    @Test
    @Order(1)
    void revocationThroughNodeAIsRefusedOnNodeBWithinTheBound() throws Exception {
        HttpClient victim = nodeB.device("two-node-victim");
        assertEquals(200, get(victim, nodeB.controller("two-node-victim")).statusCode());
        assertEquals(200, get(victim, nodeB.controller("two-node-victim")).statusCode(), "node B now answers from memory");
        assertEquals(200, get(victim, nodeA.controller("two-node-victim")).statusCode());
        String serial = nodeB.pki.loadDevice("two-node-victim").chain().get(0).getSerialNumber().toString(16);

        HttpResponse<String> revoked = postJson(operator, nodeA.uri("/rest/v1/certificates/revocations"),
                "{\"serials\":[\"" + serial + "\"],\"reason\":\"keyCompromise\"}");
        assertEquals(200, revoked.statusCode(), revoked.body());
        Thread.sleep(CertificateRegistry.VISIBILITY.toMillis());

        try {
            HttpResponse<String> r = get(victim, nodeB.controller("two-node-victim"));
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("CERT_REVOKED", json(r).get("code").asText());
        } catch (IOException refusedAtHandshake) {
            // A new connection is refused in the TLS handshake already: as good.
        }
    }

    @Test
    @Order(2)
    void rolloutStartedOnNodeAFinishesOnNodeBAfterNodeAIsKilled() throws Exception {
        Map<String, HttpClient> devices = new LinkedHashMap<>();
        for (int i = 0; i < DEVICES; i++) {
            String id = String.format("fo-%02d", i);
            devices.put(id, nodeB.device(id));
            assertEquals(200, get(devices.get(id), nodeA.controller(id)).statusCode());
            assertEquals(200, postJson(operator, nodeA.uri("/rest/v1/targets/" + id + "/tags"), "{\"add\":[\"failover\"]}")
                    .statusCode());
        }
        HttpResponse<String> up = operator.send(HttpRequest.newBuilder(nodeA.uri("/rest/v1/releases"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(nodeB.good("fw-failover", "3.0.0",
                        Map.of("fw.bin", TestReleases.payloadBytes("failover", 32_000))))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, up.statusCode(), up.body());
        long release = json(up).get("id").asLong();
        HttpResponse<String> created = postJson(operator, nodeA.uri("/rest/v1/rollouts"), "{\"name\":\"failover\",\"releaseId\":"
                + release + ",\"filter\":{\"tags\":[\"failover\"]},\"canary\":1,\"percentages\":[50,100],"
                + "\"errorThreshold\":{\"count\":1},\"maxStartsPerMinute\":100}");
        assertEquals(201, created.statusCode(), created.body());
        long rollout = json(created).get("id").asLong();

        // Through node A: the canary and two devices of the 50% group update, then node A dies.
        Fleet fleet = new Fleet(devices);
        fleet.serveUntil(nodeA::controller, 3);
        assertEquals(3, fleet.feedbackAccepted);
        assertEquals(137, nodeA.kill(), "SIGKILL");
        assertFalse(nodeA.alive());
        JsonNode mid = json(get(operator, nodeB.uri("/rest/v1/rollouts/" + rollout)));
        assertEquals("RUNNING", mid.get("state").asText(), mid.toString());
        assertNotEquals("FINISHED", mid.at("/groups/2/state").asText(), "node A died mid-rollout: " + mid);

        // Node B carries on alone.
        fleet.serveUntil(nodeB::controller, DEVICES);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode end = json(get(operator, nodeB.uri("/rest/v1/rollouts/" + rollout)));
        while (!end.get("state").asText().equals("FINISHED") && Instant.now().isBefore(deadline)) {
            nodeB.server.rollouts().tick();
            end = json(get(operator, nodeB.uri("/rest/v1/rollouts/" + rollout)));
        }
        assertEquals("FINISHED", end.get("state").asText(), end.toString());
        for (JsonNode g : end.get("groups")) {
            assertEquals("FINISHED", g.get("state").asText(), end.toString());
        }

        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            assertEquals(3, count(c, "SELECT COUNT(*) FROM rollout_groups WHERE rollout_id = " + rollout
                    + " AND started_at IS NOT NULL AND finished_at IS NOT NULL"));
            assertEquals(DEVICES, count(c, "SELECT COUNT(*) FROM rollout_members WHERE rollout_id = " + rollout
                    + " AND action_id IS NOT NULL"));
            assertEquals(DEVICES, count(c, "SELECT COUNT(*) FROM actions WHERE release_id = " + release));
            assertEquals(DEVICES, count(c, "SELECT COUNT(DISTINCT controller_id) FROM actions WHERE release_id = " + release),
                    "no device was started twice");
            assertEquals(DEVICES, count(c, "SELECT COUNT(*) FROM actions WHERE release_id = " + release
                    + " AND status = 'FINISHED'"));
            assertEquals(fleet.feedbackAccepted, count(c, "SELECT COUNT(*) FROM action_status s JOIN actions a ON a.id = s.action_id"
                    + " WHERE a.release_id = " + release), "every feedback a node accepted is stored, node A's included");
            DownloadLogRepository.Verification v = new DownloadLogRepository().verify(c);
            assertTrue(v.intact(), () -> "download log broken at " + v.firstBroken() + ": " + v.reason());
            assertEquals(DEVICES, count(c, "SELECT COUNT(*) FROM download_log WHERE release_id = " + release
                    + " AND artifact = 'fw.bin' AND result = '200 complete'"), "one complete download per device, written by either node");
        }
    }

    private static long count(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The devices, each polling, downloading its artifact and reporting success once offered a deployment. */
    private static final class Fleet {
        final Map<String, HttpClient> devices;
        final Set<String> done = new HashSet<>();
        int feedbackAccepted;

        Fleet(Map<String, HttpClient> devices) {
            this.devices = devices;
        }

        /** Polls through the node {@code controller} points at until {@code total} devices have reported success. */
        void serveUntil(Function<String, URI> controller, int total) throws Exception {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (done.size() < total) {
                assertTrue(Instant.now().isBefore(deadline), "only " + done + " were offered the release in time");
                for (Map.Entry<String, HttpClient> d : devices.entrySet()) {
                    if (done.size() < total && !done.contains(d.getKey()) && update(d.getKey(), d.getValue(), controller)) {
                        done.add(d.getKey());
                    }
                }
                Thread.sleep(200);
            }
        }

        private boolean update(String id, HttpClient device, Function<String, URI> controller) throws Exception {
            JsonNode links = json(get(device, controller.apply(id))).path("_links");
            if (!links.has("deploymentBase")) {
                return false;
            }
            JsonNode deployment = json(get(device, URI.create(links.at("/deploymentBase/href").asText())));
            long action = deployment.get("id").asLong();
            URI artifact = null;
            for (JsonNode a : deployment.at("/deployment/chunks/0/artifacts")) {
                if (a.get("filename").asText().equals("fw.bin")) {
                    artifact = URI.create(a.at("/_links/download/href").asText());
                }
            }
            HttpResponse<byte[]> body = device.send(HttpRequest.newBuilder(artifact).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, body.statusCode(), id);
            assertEquals(32_000, body.body().length);
            HttpResponse<String> fed = postJson(device, URI.create(controller.apply(id) + "/deploymentBase/" + action + "/feedback"),
                    SUCCESS);
            assertEquals(200, fed.statusCode(), fed.body());
            feedbackAccepted++;
            return true;
        }
    }
}
