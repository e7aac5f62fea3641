package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateFailureCode;
import io.gantry.api.agent.UpdateReport;
import io.gantry.api.device.DeviceUpdateRequest;
import io.gantry.api.device.DeviceUpdateResult;
import io.gantry.api.device.DownstreamDeviceUpdater;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.testing.InMemoryReleases;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A vendor plugin that throws, hangs or leaves threads running cannot stop the gateway or the other
 * plugins: one test each. The agent answers with its own code and goes on serving other plugins.
 */
class PluginIsolationTest {
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void unblock() {
        release.countDown();
    }

    @Test
    void aPluginThatThrowsIsPluginFailedAndAnotherPluginStillUpdates() throws Exception {
        ReleaseApplier applier = applier(plugin("bad-type", () -> {
            throw new IllegalStateException("plugin bug");
        }), healthy("good-type"));
        UpdateFailedException e = assertThrows(UpdateFailedException.class, () -> applier.apply(source("bad-type")));
        assertEquals(UpdateFailureCode.PLUGIN_FAILED, e.code());
        assertTrue(e.getMessage().contains("plugin bug"), e.getMessage());
        assertTrue(applier.apply(source("good-type")).details().get(0).contains("boot confirmed"));
    }

    @Test
    void aPluginThatHangsIsCutAtItsTimeAndNotCalledAgainWhileStuck() throws Exception {
        ReleaseApplier applier = applier(plugin("hung-type", () -> {
            // A badly written plugin: deaf to interrupts, stuck until the test ends.
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // swallowed, as such plugins do
                }
            }
            return ok("hung-1");
        }), healthy("good-type"));
        long start = System.nanoTime();
        UpdateFailedException e = assertThrows(UpdateFailedException.class, () -> applier.apply(source("hung-type")));
        assertEquals(UpdateFailureCode.PLUGIN_TIMEOUT, e.code());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0, "cut at its time");
        UpdateFailedException again = assertThrows(UpdateFailedException.class, () -> applier.apply(source("hung-type")));
        assertTrue(again.getMessage().contains("still stuck"), again.getMessage());
        assertTrue(applier.apply(source("good-type")).details().get(0).contains("boot confirmed"));
    }

    @Test
    void aPluginStuckUnderAnEarlierAgentIsNotCalledByTheAgentThatReplacedIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        DownstreamDeviceUpdater stuck = plugin("stuck-type", () -> {
            calls.incrementAndGet();
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // deaf to interrupts
                }
            }
            return ok("stuck-1");
        });
        ReleaseApplier before = applier(stuck, healthy("good-type"));
        assertEquals(UpdateFailureCode.PLUGIN_TIMEOUT,
                assertThrows(UpdateFailedException.class, () -> before.apply(source("stuck-type"))).code());
        // The agent is swapped: a new applier with its own guard binds the same plugin service.
        ReleaseApplier successor = applier(stuck, healthy("good-type"));
        UpdateFailedException again = assertThrows(UpdateFailedException.class, () -> successor.apply(source("stuck-type")));
        assertEquals(UpdateFailureCode.PLUGIN_TIMEOUT, again.code());
        assertTrue(again.getMessage().contains("still stuck"), again.getMessage());
        assertEquals(1, calls.get(), "the stuck plugin was called again");
        assertTrue(successor.apply(source("good-type")).details().get(0).contains("boot confirmed"));
        // Once the stuck call ends, the successor calls the plugin again.
        release.countDown();
        java.util.Optional<Thread> ending = PluginGuard.earlierCall(PluginGuard.key("stuck-type", stuck));
        if (ending.isPresent()) {
            ending.get().join(10_000);
        }
        assertTrue(successor.apply(source("stuck-type")).details().get(0).contains("boot confirmed"));
        assertEquals(2, calls.get());
    }

    @Test
    void threadsAPluginLeavesRunningAreNamedInTheReport() throws Exception {
        ReleaseApplier applier = applier(plugin("leaky-type", () -> {
            Thread leak = new Thread(() -> {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "vendor-poller");
            leak.setDaemon(true);
            leak.start();
            return ok("leaky-1");
        }));
        UpdateReport report = applier.apply(source("leaky-type"));
        assertTrue(report.details().stream().anyMatch(d -> d.contains("left threads running") && d.contains("vendor-poller")),
                report.details().toString());
    }

    private interface Update {
        DeviceUpdateResult run() throws Exception;
    }

    private static DeviceUpdateResult ok(String id) {
        return new DeviceUpdateResult(id, "1.0.0", "1.1.0", "B");
    }

    private static DownstreamDeviceUpdater healthy(String type) {
        return plugin(type, () -> ok(type + "-1"));
    }

    private static DownstreamDeviceUpdater plugin(String type, Update update) {
        return new DownstreamDeviceUpdater() {
            @Override
            public String deviceType() {
                return type;
            }

            @Override
            public List<String> deviceIds() {
                return List.of(type + "-1");
            }

            @Override
            public String firmwareVersion(String deviceId) {
                return "1.0.0";
            }

            @Override
            public DeviceUpdateResult update(DeviceUpdateRequest r) {
                try {
                    return update.run();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** A source whose "verified" release is a firmware for {@code type}; the verifier below hands it out. */
    private static ReleaseSource source(String type) {
        return new ReleaseSource() {
            @Override
            public byte[] metadata() {
                return type.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public byte[] signatures() {
                return new byte[0];
            }

            @Override
            public InputStream openPayload(String payloadName) {
                return InputStream.nullInputStream();
            }

            @Override
            public String describe() {
                return "firmware for " + type;
            }
        };
    }

    private static ReleaseApplier applier(DownstreamDeviceUpdater... plugins) {
        ReleaseVerifier verifier = new ReleaseVerifier() {
            @Override
            public VerifiedRelease verify(ReleaseSource source) throws java.io.IOException {
                String type = new String(source.metadata(), java.nio.charset.StandardCharsets.UTF_8);
                PayloadInfo info = new PayloadInfo("p.bin", io.gantry.testing.TestReleases.sha256(new byte[4]), 4);
                ReleaseMetadata m = new ReleaseMetadata(ReleaseMetadata.SCHEMA, "fw", "1.1.0", ReleaseKind.FIRMWARE, type,
                        Instant.EPOCH, Instant.EPOCH.plusSeconds(60), 0, "test", List.of(info));
                return InMemoryReleases.verified(m, "releases/1", List.of("alice", "bob"),
                        List.of(InMemoryReleases.payload(info, () -> new ByteArrayInputStream(new byte[4]))));
            }

            @Override
            public void recordInstalled(VerifiedRelease r) {
            }

            @Override
            public void recordCommitted(ReleaseSource committed) {
            }

            @Override
            public long installTrustRoot(VerifiedRelease r) {
                throw new AssertionError();
            }

            @Override
            public long trustRootVersion() {
                return 1;
            }
        };
        ReleaseApplier applier = new ReleaseApplier(verifier, new io.gantry.api.rollback.RollbackManager() {
            @Override
            public List<String> submit(VerifiedRelease r, String transactionId) {
                throw new AssertionError("no bundle here");
            }

            @Override
            public java.util.Optional<List<String>> outcome(String transactionId) {
                throw new AssertionError("no bundle here");
            }
        }, TestFleets.fleet(Duration.ofSeconds(2), Duration.ofMillis(500)));
        for (DownstreamDeviceUpdater p : plugins) {
            applier.addPlugin(p);
        }
        return applier;
    }
}
