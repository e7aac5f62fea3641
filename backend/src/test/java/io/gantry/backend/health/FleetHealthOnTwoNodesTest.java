package io.gantry.backend.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.alerts.AlertBook;
import io.gantry.backend.alerts.AlertChange;
import io.gantry.backend.alerts.AlertState;
import io.gantry.backend.alerts.FleetAlert;
import io.gantry.backend.alerts.OncePerIntervalRun;
import io.gantry.backend.config.FleetHealthSettings;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.JobLock;
import io.gantry.backend.db.TargetRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two backend nodes on one database, each scheduling the fleet-health evaluation as the backend
 * does ({@link OncePerIntervalRun} under the {@code fleet-health} job lock): the fleet evaluates once
 * per interval, so a problem is delivered once and its alert counts one run per interval, not one
 * per node.
 */
class FleetHealthOnTwoNodesTest {
    static final Duration INTERVAL = FleetHealthSettings.DEFAULT.interval();
    @TempDir
    Path dir;
    final TestClock clock = new TestClock(Instant.parse("2026-12-04T12:00:00Z"));
    final List<AlertChange> delivered = new CopyOnWriteArrayList<>();
    Database nodeA;
    Database nodeB;

    @BeforeEach
    void open() throws Exception {
        nodeA = TestDatabases.open(dir.resolve("db"));
        nodeB = TestDatabases.open(dir.resolve("db"));
        nodeA.inTransaction(c -> {
            new TargetRepository().recordPoll(c, "gw-quiet", clock.instant().minus(Duration.ofDays(2)));
            return null;
        });
    }

    @AfterEach
    void close() {
        nodeB.close();
        nodeA.close();
    }

    /** A node's scheduled job, wired as {@code BackendServer} wires it, delivering to the shared list. */
    OncePerIntervalRun node(Database db) {
        AlertBook book = new AlertBook(db, clock, List.of(delivered::add));
        FleetHealthEvaluator evaluator = new FleetHealthEvaluator(db, book,
                new FleetHealthRules(FleetHealthSettings.DEFAULT, Duration.ofSeconds(5)), clock);
        return new OncePerIntervalRun("fleet health", new JobLock(db, FleetHealthEvaluator.LOCK), INTERVAL, clock, evaluator::evaluate);
    }

    long runs() throws Exception {
        List<FleetAlert> open = new AlertBook(nodeA, clock, List.of()).list(AlertState.OPEN, null, 0, 10).alerts();
        assertEquals(1, open.size(), open.toString());
        return open.get(0).count();
    }

    @Test
    void bothNodesAtOnceEvaluateOnceAndDeliverOnce() throws Exception {
        OncePerIntervalRun a = node(nodeA);
        OncePerIntervalRun b = node(nodeB);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        int ran = 0;
        try {
            List<Future<Boolean>> attempts = List.of(nodes.submit(() -> {
                start.await();
                return a.runIfDue();
            }), nodes.submit(() -> {
                start.await();
                return b.runIfDue();
            }));
            for (Future<Boolean> f : attempts) {
                ran += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
        } finally {
            nodes.shutdown();
        }
        assertEquals(1, ran, "one node evaluated");
        assertEquals(1, runs(), "the alert counts one run");
        assertEquals(List.of("OPENED DEVICE_SILENT gw-quiet"), delivered.stream()
                .map(d -> d.change() + " " + d.alert().kind() + " " + d.alert().subject()).toList());

        clock.advance(INTERVAL.dividedBy(4));
        assertFalse(a.runIfDue(), "ran on the fleet a quarter interval ago");
        assertFalse(b.runIfDue());
        assertEquals(1, runs());

        clock.advance(INTERVAL);
        assertTrue(b.runIfDue(), "due again: whichever node comes first runs");
        assertFalse(a.runIfDue());
        assertEquals(2, runs());
        assertEquals(1, delivered.size(), "found again: nothing new delivered");
    }

    @Test
    void aFailedRunIsLoggedNotThrownAndTheNextIntervalTriesAgain() throws Exception {
        int[] attempts = {0};
        OncePerIntervalRun failing = new OncePerIntervalRun("failing job", new JobLock(nodeA, FleetHealthEvaluator.LOCK), INTERVAL,
                clock, () -> {
                    attempts[0]++;
                    throw new java.sql.SQLException("database gone for a moment");
                });
        assertTrue(failing.runIfDue(), "it ran (and failed)");
        assertFalse(node(nodeB).runIfDue(), "the failed run counts for this interval");
        clock.advance(INTERVAL);
        assertTrue(node(nodeB).runIfDue(), "the next interval runs, on the other node");
        assertEquals(1, attempts[0]);
        assertEquals(1, runs());
    }
}
