package io.gantry.coordinator.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.coordinator.BundleSetCoordinator;
import io.gantry.coordinator.BundleSetRequest;
import io.gantry.coordinator.StagedBundle;
import io.gantry.coordinator.TransactionOutcome;
import io.gantry.coordinator.TransactionRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;

/** Bundle-set transactions in a real Felix: commit, revert on a failed gate, refusals, recovery at start. */
class CoordinatorTest {
    @TempDir
    Path tmp;
    private Framework framework;
    private CoordinatorRuntime runtime;
    private final AtomicReference<String> components = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        framework = TestFramework.initialised(tmp.resolve("felix"));
        framework.start();
        for (String bsn : List.of("a", "b")) {
            framework.getBundleContext().installBundle(TestFramework.jar(tmp.resolve("dist"), bsn, "1.0.0").toUri().toString()).start();
        }
        runtime = CoordinatorRuntime.recover(framework.getBundleContext(), tmp.resolve("coordinator"), settings(null), Clock.systemUTC());
        runtime.start();
        TestFramework.gate(framework, "components", components::get);
    }

    @AfterEach
    void stop() throws Exception {
        runtime.close();
        framework.stop();
        framework.waitForStop(10_000);
    }

    private static CoordinatorSettings settings(String pauseAt) {
        return new CoordinatorSettings(Duration.ofSeconds(2), Duration.ZERO, Duration.ofSeconds(1), 2, Set.of("components"), pauseAt);
    }

    private StagedBundle staged(String bsn, String version) throws Exception {
        Path jar = TestFramework.jar(tmp.resolve("new"), bsn, version);
        return new StagedBundle(bsn, version, jar, JarFiles.sha256(jar));
    }

    private TransactionOutcome await(BundleSetCoordinator c, String id) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            var o = c.outcome(id);
            if (o.isPresent()) {
                return o.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("transaction " + id + " did not end");
    }

    private String version(String bsn) {
        Bundle b = TestFramework.find(framework, bsn);
        return b == null ? null : b.getVersion().toString();
    }

    @Test
    void commitsAHealthySetOfTwoUpdatesAndOneNewBundle() throws Exception {
        BundleSetCoordinator c = runtime.coordinator();
        c.submit(new BundleSetRequest("t1", "set 2.0", List.of(staged("a", "2.0.0"), staged("b", "2.0.0"), staged("c", "1.0.0"))));
        TransactionOutcome o = await(c, "t1");
        assertEquals(TransactionOutcome.Result.COMMITTED, o.result(), o.message());
        assertEquals(List.of("2.0.0", "2.0.0", "1.0.0"), List.of(version("a"), version("b"), version("c")));
        assertEquals(Bundle.ACTIVE, TestFramework.find(framework, "c").getState());
        assertTrue(Files.exists(tmp.resolve("coordinator/committed/a.jar")));
        assertEquals(List.of("updated bundle a 1.0.0 -> 2.0.0", "updated bundle b 1.0.0 -> 2.0.0", "installed bundle c 1.0.0"), o.details());
    }

    @Test
    void aGateThatFailsAfterTheSwitchPutsTheExactPreviousSetBack() throws Exception {
        BundleSetCoordinator c = runtime.coordinator();
        framework.getBundleContext().addBundleListener(e -> {
            if ("a".equals(e.getBundle().getSymbolicName()) && e.getBundle().getVersion().getMajor() == 2) {
                components.set("component x failed to activate");
            }
        });
        c.submit(new BundleSetRequest("t2", "set 2.0", List.of(staged("a", "2.0.0"), staged("b", "2.0.0"), staged("c", "1.0.0"))));
        TransactionOutcome o = await(c, "t2");
        assertEquals(TransactionOutcome.Result.REVERTED, o.result());
        assertEquals("HEALTH_CHECK_FAILED", o.code());
        assertTrue(o.message().contains("component x failed to activate"), o.message());
        assertEquals("1.0.0", version("a"));
        assertEquals("1.0.0", version("b"));
        assertNull(version("c"), "a bundle the set brought in is removed");
        assertEquals(Bundle.ACTIVE, TestFramework.find(framework, "a").getState());
    }

    @Test
    void aRequiredGateNobodyRegistersIsAFailureNotASkippedCheck() throws Exception {
        runtime.close();
        runtime = CoordinatorRuntime.recover(framework.getBundleContext(), tmp.resolve("coordinator"),
                new CoordinatorSettings(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1), 2, Set.of("components", "backend"), null),
                Clock.systemUTC());
        runtime.start();
        runtime.coordinator().submit(new BundleSetRequest("t3", "a 2.0", List.of(staged("a", "2.0.0"))));
        TransactionOutcome o = await(runtime.coordinator(), "t3");
        assertEquals("HEALTH_CHECK_FAILED", o.code());
        assertTrue(o.message().contains("gate backend is not registered"), o.message());
        assertEquals("1.0.0", version("a"));
    }

    @Test
    void aJarThatIsNotTheVerifiedOneIsRefusedBeforeAnythingIsTouched() throws Exception {
        StagedBundle good = staged("a", "2.0.0");
        StagedBundle lying = new StagedBundle("a", "2.0.0", good.jar(), "0".repeat(64));
        TransactionRefusedException e = assertThrows(TransactionRefusedException.class,
                () -> runtime.coordinator().submit(new BundleSetRequest("t4", "a 2.0", List.of(lying))));
        assertEquals("INSTALL_FAILED", e.code());
        assertTrue(e.getMessage().contains("not the one verified"), e.getMessage());
        assertEquals("1.0.0", version("a"));
        assertTrue(!runtime.coordinator().knows("t4"));
    }

    @Test
    void aSetStoppedDuringItsHealthCheckIsRevertedAtTheNextStartBeforeAnyBundleRuns() throws Exception {
        runtime.close();
        runtime = CoordinatorRuntime.recover(framework.getBundleContext(), tmp.resolve("coordinator"), settings("HEALTH_CHECKING"),
                Clock.systemUTC());
        runtime.start();
        runtime.coordinator().submit(new BundleSetRequest("t5", "a 2.0", List.of(staged("a", "2.0.0"), staged("c", "1.0.0"))));
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"HEALTH_CHECKING".equals(Journal.read(tmp.resolve("coordinator/transactions/t5")).state.name())) {
            assertTrue(System.nanoTime() < end, "never reached HEALTH_CHECKING");
            Thread.sleep(20);
        }
        assertEquals("2.0.0", version("a"));
        runtime.close();
        framework.stop();
        framework.waitForStop(10_000);

        framework = TestFramework.initialised(tmp.resolve("felix"));
        runtime = CoordinatorRuntime.recover(framework.getBundleContext(), tmp.resolve("coordinator"), settings(null), Clock.systemUTC());
        assertEquals("1.0.0", version("a"), "reverted before start");
        assertNull(version("c"));
        assertTrue(runtime.recovered().get(0).contains("UPDATE_INTERRUPTED"), runtime.recovered().toString());
        framework.start();
        runtime.start();
        assertEquals("1.0.0", version("a"));
        assertEquals(TransactionOutcome.Result.REVERTED, runtime.coordinator().outcome("t5").orElseThrow().result());
    }
}
