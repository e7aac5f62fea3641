package io.gantry.backend.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.ActionStatus;
import io.gantry.backend.failure.RequestError;
import io.gantry.backend.http.ApiException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler on a real H2 database with a test clock: groups, rate, thresholds, holds, late joiners, cancel, two nodes. */
class RolloutSchedulerTest {
    @TempDir
    Path dir;
    RolloutFleet f;

    @BeforeEach
    void open() throws Exception {
        f = new RolloutFleet(dir.resolve("db"));
    }

    @AfterEach
    void close() {
        f.close();
    }

    private RolloutView create(String extra) throws Exception {
        return f.rollouts.create(RolloutPlannerTest.spec("{\"name\":\"r\",\"releaseId\":" + f.releaseId + "," + extra + "}"));
    }

    private void fleet(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            f.device(String.format("dev-%02d", i), Map.of("deviceType", "gw"));
        }
    }

    private GroupProgress group(long id, int position) throws Exception {
        return f.rollouts.get(id).groups().get(position);
    }

    @Test
    void groupsAdvanceAtTheirSuccessThresholdWithinTheRateLimit() throws Exception {
        fleet(10);
        long id = create("\"canary\":1,\"percentages\":[50,100],\"maxStartsPerMinute\":3,\"certificateHoldDays\":0").id();
        assertEquals(RolloutState.CREATED, f.rollouts.get(id).state());
        f.scheduler.tick();
        assertEquals(RolloutState.RUNNING, f.rollouts.get(id).state());
        assertEquals(List.of(1, 4, 5), f.rollouts.get(id).groups().stream().map(GroupProgress::total).toList());
        assertEquals(1, f.actionIds(id).size(), "only the canary starts");
        f.scheduler.tick();
        assertEquals(1, f.actionIds(id).size(), "the next group waits for the canary's success");

        f.close(f.actionIds(id).get(0)[0], true);
        f.scheduler.tick();
        assertEquals(GroupState.FINISHED, group(id, 0).state());
        assertEquals(GroupState.RUNNING, group(id, 1).state());
        assertEquals(3, f.actionIds(id).size(), "3 a minute: the canary and 2 more in this minute");
        f.clock.advance(Duration.ofSeconds(61));
        f.scheduler.tick();
        assertEquals(5, f.actionIds(id).size(), "the rest of the 50% group; the 100% group still waits");
        assertEquals(GroupState.SCHEDULED, group(id, 2).state());

        for (long[] a : f.actionIds(id).subList(1, 5)) {
            f.close(a[0], true);
        }
        f.clock.advance(Duration.ofSeconds(61));
        f.scheduler.tick();
        assertEquals(GroupState.RUNNING, group(id, 2).state());
        assertEquals(8, f.actionIds(id).size());
        f.clock.advance(Duration.ofSeconds(61));
        f.scheduler.tick();
        assertEquals(10, f.actionIds(id).size());
        for (long[] a : f.actionIds(id).subList(5, 10)) {
            f.close(a[0], true);
        }
        f.scheduler.tick();
        assertEquals(RolloutState.FINISHED, f.rollouts.get(id).state());
        assertEquals(10, f.rollouts.get(id).groups().stream().mapToInt(GroupProgress::succeeded).sum());
    }

    @Test
    void failuresPauseOnceWithAnAlertAndResumeCountsAfresh() throws Exception {
        fleet(6);
        long id = create("\"canary\":2,\"percentages\":[100],\"successThreshold\":50,"
                + "\"errorThreshold\":{\"percent\":50,\"minSample\":2},\"certificateHoldDays\":0").id();
        f.scheduler.tick();
        List<long[]> a = f.actionIds(id);
        f.close(a.get(0)[0], false);
        f.scheduler.tick();
        assertEquals(RolloutState.RUNNING, f.rollouts.get(id).state(), "1 of 1 closed failed, below the minimum sample of 2");
        f.close(a.get(1)[0], false);
        f.scheduler.tick();
        f.scheduler.tick();
        RolloutView v = f.rollouts.get(id);
        assertEquals(RolloutState.PAUSED, v.state());
        assertTrue(v.pauseReason().startsWith("error threshold crossed: 2 of 2 closed actions failed"), v.pauseReason());
        assertEquals(1, f.count("SELECT COUNT(*) FROM security_events WHERE code = 'ROLLOUT_PAUSED'"), "alerted once");

        f.rollouts.resume(id);
        f.scheduler.tick();
        assertEquals(RolloutState.RUNNING, f.rollouts.get(id).state(), "failures before the resume no longer count");
        ApiException twice = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> f.rollouts.resume(id));
        assertEquals(RequestError.ROLLOUT_STATE_CONFLICT, twice.code());
    }

    @Test
    void devicesWithExpiringCertificatesOrUnknownZonesAreHeldAndWindowsUseDeviceTime() throws Exception {
        f.device("a-expiring", Map.of(), Duration.ofDays(3));
        f.device("b-berlin", Map.of("timezone", "Europe/Berlin"));
        f.device("c-mars", Map.of("timezone", "Mars/Base"));
        f.device("d-nocert", Map.of(), null);
        f.device("e-utc", Map.of());
        String body = "\"percentages\":[100],\"certificateHoldDays\":7,\"maintenanceWindow\":\"02:00-04:00\"";
        RolloutView.DryRun dry = f.rollouts.dryRun(RolloutPlannerTest.spec("{\"name\":\"r\",\"releaseId\":" + f.releaseId + ","
                + body + "}"));
        assertEquals(5, dry.targeted());
        assertEquals(List.of("a-expiring", "c-mars", "d-nocert"), List.copyOf(dry.held().keySet()));
        assertEquals(0, f.count("SELECT COUNT(*) FROM rollouts"), "a dry run stores nothing");

        long id = create(body).id();
        f.scheduler.tick();
        RolloutView v = f.rollouts.get(id);
        assertEquals(dry.held().keySet(), v.held().keySet());
        assertTrue(v.held().get("a-expiring").startsWith("certificate expires 2026-03-04T12:00:00Z"), v.held().get("a-expiring"));
        assertTrue(v.held().get("c-mars").contains("Mars/Base names no time zone"));
        assertEquals(2, f.actionIds(id).size());
        assertEquals("02:00-04:00@Europe/Berlin", f.db.inTransaction(c -> f.actions.terms(c,
                f.actions.forTarget(c, "b-berlin").get(0).id())).window().orElseThrow().format());
        assertEquals("02:00-04:00@Z", f.db.inTransaction(c -> f.actions.terms(c,
                f.actions.forTarget(c, "e-utc").get(0).id())).window().orElseThrow().format());
        for (long[] a : f.actionIds(id)) {
            f.close(a[0], true);
        }
        f.scheduler.tick();
        assertEquals(RolloutState.FINISHED, f.rollouts.get(id).state(), "held devices are reported, not waited for");
    }

    @Test
    void theFilterSelectsByTypeAttributeAndTagAndLateJoinersArePickedUp() throws Exception {
        f.device("gw-1", Map.of("deviceType", "gw", "site", "north"));
        f.device("gw-2", Map.of("deviceType", "gw", "site", "north"));
        f.device("gw-3", Map.of("deviceType", "gw", "site", "south"));
        f.device("cam-1", Map.of("deviceType", "cam", "site", "north"));
        for (String d : List.of("gw-1", "gw-3", "cam-1")) {
            f.tag(d, "eu");
        }
        long id = create("\"filter\":{\"deviceType\":\"gw\",\"attributes\":{\"site\":\"north\"},\"tags\":[\"eu\"]},"
                + "\"percentages\":[100],\"certificateHoldDays\":0").id();
        f.scheduler.tick();
        assertEquals(1, f.rollouts.get(id).groups().get(0).total(), "only gw-1 has type, site and tag");
        f.tag("gw-2", "eu");
        f.device("gw-4", Map.of("deviceType", "gw", "site", "north"));
        f.tag("gw-4", "eu");
        f.scheduler.tick();
        assertEquals(3, f.rollouts.get(id).groups().get(0).total());
        assertEquals(3, f.actionIds(id).size(), "late joiners are started");
    }

    @Test
    void cancelSendsCancelActionToOpenActionsOnly() throws Exception {
        fleet(3);
        long id = create("\"percentages\":[100],\"certificateHoldDays\":0").id();
        f.scheduler.tick();
        List<long[]> a = f.actionIds(id);
        f.close(a.get(0)[0], true);
        RolloutView v = f.rollouts.cancel(id);
        assertEquals(RolloutState.CANCELED, v.state());
        assertEquals(2, f.count("SELECT COUNT(*) FROM actions WHERE status = 'CANCELING'"));
        assertEquals(ActionStatus.FINISHED, f.db.inTransaction(c -> f.actions.find(c, a.get(0)[0]).orElseThrow().status()));
        assertEquals(RequestError.ROLLOUT_STATE_CONFLICT, org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                () -> f.rollouts.cancel(id)).code());
        assertEquals(RequestError.ROLLOUT_NOT_FOUND, org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                () -> f.rollouts.pause(999)).code());
    }

    @Test
    void twoSchedulersOnOneDatabaseNeverDoAStepTwice() throws Exception {
        fleet(40);
        long id = create("\"percentages\":[100],\"maxStartsPerMinute\":1000,\"certificateHoldDays\":0").id();
        RolloutScheduler other = new RolloutScheduler(f.services);
        CountDownLatch go = new CountDownLatch(1);
        Throwable[] failure = new Throwable[2];
        Thread[] nodes = new Thread[2];
        RolloutScheduler[] schedulers = {f.scheduler, other};
        for (int n = 0; n < 2; n++) {
            int node = n;
            nodes[n] = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < 5; i++) {
                        schedulers[node].tick();
                    }
                } catch (java.sql.SQLException e) {
                    // A lock conflict: this node lost a race and changed nothing; the invariants below still hold.
                    failure[node] = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            nodes[n].start();
        }
        go.countDown();
        for (Thread t : nodes) {
            t.join();
        }
        f.scheduler.tick();
        assertEquals(1, f.count("SELECT COUNT(*) FROM rollout_groups"), "planned once");
        assertEquals(40, f.count("SELECT COUNT(*) FROM rollout_members"));
        assertEquals(40, f.count("SELECT COUNT(*) FROM actions"), "each device started exactly once");
        assertEquals(40, f.count("SELECT COUNT(DISTINCT controller_id) FROM actions"));
    }

    @Test
    void twoNodesWithTheirOwnPoolsShareOnePerMinuteBudget() throws Exception {
        fleet(40);
        long id = create("\"percentages\":[100],\"maxStartsPerMinute\":7,\"certificateHoldDays\":0").id();
        try (io.gantry.backend.db.Database secondPool = io.gantry.backend.db.TestDatabases.open(dir.resolve("db"))) {
            RolloutScheduler nodeB = new RolloutScheduler(new RolloutServices(f.clock, secondPool,
                    new io.gantry.backend.db.ReleaseRepository(), new io.gantry.backend.db.ActionRepository(),
                    new io.gantry.backend.events.SecurityEvents(secondPool, new io.gantry.backend.db.SecurityEventRepository(), f.clock,
                            10_000)));
            RolloutScheduler[] nodes = {f.scheduler, nodeB};
            java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (RolloutScheduler node : nodes) {
                done.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 6; i++) {
                        node.tick();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> d : done) {
                d.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            threads.shutdown();
        }
        assertEquals(1, f.count("SELECT COUNT(*) FROM rollout_groups"), "planned once");
        assertEquals(7, f.actionIds(id).size(), "the budget of 7 a minute holds across both nodes, not 7 each");
        assertEquals(7, f.count("SELECT COUNT(DISTINCT controller_id) FROM actions"));
    }

    @Test
    void aTickWaitsWhileAnotherNodeHoldsTheSchedulerLock() throws Exception {
        fleet(5);
        long id = create("\"percentages\":[100],\"maxStartsPerMinute\":100,\"certificateHoldDays\":0").id();
        try (io.gantry.backend.db.Database otherNode = io.gantry.backend.db.TestDatabases.open(dir.resolve("db"))) {
            java.util.concurrent.Future<?> tick;
            java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
            try (io.gantry.backend.db.JobLock.Held held = new io.gantry.backend.db.JobLock(otherNode, RolloutScheduler.LOCK).acquire()) {
                tick = thread.submit(() -> {
                    f.scheduler.tick();
                    return null;
                });
                java.time.Instant deadline = java.time.Instant.now().plusSeconds(30);
                while (blockedSessions(otherNode) == 0) {
                    assertTrue(java.time.Instant.now().isBefore(deadline), "the tick never waited for the lock");
                    Thread.sleep(10);
                }
                assertEquals(RolloutState.CREATED, f.rollouts.get(id).state(), "nothing happens while another node ticks");
            }
            tick.get(30, java.util.concurrent.TimeUnit.SECONDS);
            thread.shutdown();
        }
        assertEquals(RolloutState.RUNNING, f.rollouts.get(id).state());
        assertEquals(5, f.actionIds(id).size());
    }

    /** @return sessions waiting for a lock another session holds */
    private static long blockedSessions(io.gantry.backend.db.Database db) throws Exception {
        String sql = db.dialect() == io.gantry.backend.db.Dialect.POSTGRESQL ? "SELECT COUNT(*) FROM pg_locks WHERE NOT granted"
                : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
        return db.inTransaction(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql); java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
