package io.gantry.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateFailureCode;
import io.gantry.api.agent.UpdateReport;
import io.gantry.api.device.DownstreamDeviceUpdater;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.verify.RejectionCode;
import io.gantry.testing.fleet.ExamplePlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Vendor plugins in the gateway's real bundle set in Felix. A plugin bundle the gateway never had
 * (its own symbolic name and device type, built from its sources against the API alone, not in the
 * bndrun) is installed by a signed BUNDLE release through the agent and the update coordinator, and
 * then serves a FIRMWARE release for its device type. A bundle of misbehaving plugins, installed
 * the same way, throws, hangs deaf to interrupts and leaves a thread running; each time the gateway
 * answers with a stable code and the Acme and valve plugins keep updating their devices, during
 * the hang too.
 *
 * <p>The {@code ExamplePlugins} names used inside the framework are compile-time constants: test-fleet
 * classes are not visible there.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class VendorPluginIT {
    private static final String RELEASES = "plugin-releases";

    @Inject
    BundleContext context;

    private GatewayContainer gateway;

    @Before
    public void openContainer() {
        gateway = new GatewayContainer(context);
    }

    @After
    public void closeContainer() {
        gateway.close();
    }

    /** Outside the framework: builds both plugin bundles and signs their releases. */
    @Configuration
    public Option[] config() throws Exception {
        GatewayFixture f = GatewayFixture.create();
        Path jars = f.home().resolve("plugins");
        Path releases = Files.createDirectories(f.home().resolve(RELEASES));
        Path valve = ExamplePlugins.valve("1.0.0", jars);
        Files.copy(f.bundleRelease(ExamplePlugins.VALVE_BUNDLE, "1.0.0", valve, "alice", "bob"),
                releases.resolve("valve.gantry"));
        Files.copy(f.bundleRelease(ExamplePlugins.VALVE_BUNDLE, "1.0.0", valve, "acme1", "acme2"),
                releases.resolve("valve-by-acme.gantry"));
        Files.copy(f.bundleRelease(ExamplePlugins.ROGUE_BUNDLE, "1.0.0", ExamplePlugins.rogue("1.0.0", jars), "alice", "bob"),
                releases.resolve("rogue.gantry"));
        return GatewayContainer.options(f.conf(), systemProperty(GatewayFixture.HOME_PROPERTY).value(f.home().toString()));
    }

    @Test
    public void a1ANewPluginIsInstalledBySignedReleaseAndUpdatesItsDevice() throws Exception {
        assertFalse("not part of the gateway's bundle set", installed(ExamplePlugins.VALVE_BUNDLE));
        UpdateFailedException before = applyExpectingFailure(valveFirmware("1.0.0"));
        assertEquals(before.getMessage(), RejectionCode.WRONG_HARDWARE, before.code());

        UpdateFailedException byVendor = applyExpectingFailure(release("valve-by-acme.gantry"));
        assertTrue(byVendor.code() + " " + byVendor.getMessage(), byVendor.code() instanceof RejectionCode);
        assertFalse("a vendor may not ship a bundle name not delegated to it", installed(ExamplePlugins.VALVE_BUNDLE));

        UpdateReport installed = apply(release("valve.gantry"));
        assertEquals(List.of("installed bundle " + ExamplePlugins.VALVE_BUNDLE + " 1.0.0"), installed.details());
        Bundle valve = gateway.bundle(ExamplePlugins.VALVE_BUNDLE);
        assertEquals(Bundle.ACTIVE, valve.getState());
        assertEquals("1.0.0", valve.getVersion().toString());
        assertNotNull("the plugin registers its updater", plugin(ExamplePlugins.VALVE_TYPE));

        UpdateReport firmware = apply(valveFirmware("1.0.0"));
        assertEquals(firmware.details().toString(), 1, firmware.details().size());
        assertTrue(firmware.details().get(0), firmware.details().get(0).startsWith("device=" + ExamplePlugins.VALVE_DEVICE
                + " type=" + ExamplePlugins.VALVE_TYPE + " result=UPDATED version=1.0.0 release=1.0.0 ; 0.0.0 -> 1.0.0"));
        assertEquals("the verified image reached the device", "valve image 1.0.0\n",
                Files.readString(valve.getDataFile("flash/" + ExamplePlugins.VALVE_DEVICE + "/image").toPath()));
        assertTrue(apply(valveFirmware("1.1.0")).details().get(0).contains("result=UPDATED version=1.1.0 release=1.1.0 ; 1.0.0 -> 1.1.0"));
        assertAcmeUpdates();
    }

    @Test
    public void b1APluginThatThrowsFailsItsReleaseOnly() throws Exception {
        installRogue();
        UpdateFailedException e = applyExpectingFailure(firmware(ExamplePlugins.THROWING_TYPE, "1.0.0"));
        assertEquals(e.getMessage(), UpdateFailureCode.PLUGIN_FAILED, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains(ExamplePlugins.THROWN));
        assertOthersUpdate("1.2.0");
    }

    @Test
    public void b2APluginThatLeavesAThreadRunningIsNamedInTheReport() throws Exception {
        installRogue();
        UpdateReport r = apply(firmware(ExamplePlugins.LEAKING_TYPE, "1.0.0"));
        assertEquals(r.details().toString(), 2, r.details().size());
        assertTrue(r.details().get(1), r.details().get(1).contains("left threads running")
                && r.details().get(1).contains(ExamplePlugins.LEAKED_THREAD));
        assertOthersUpdate("1.3.0");
    }

    @Test
    public void b3APluginThatHangsTimesOutWhileTheOthersKeepUpdating() throws Exception {
        installRogue();
        // Held for the whole test, as the gateway's poller holds it (a successor agent would see the
        // stuck call too: PluginGuard finds it by its thread).
        gateway.service(UpdateAgent.class);
        Path hang = firmware(ExamplePlugins.HANGING_TYPE, "1.0.0");
        long start = System.nanoTime();
        CompletableFuture<UpdateReport> hanging = CompletableFuture.supplyAsync(() -> {
            try {
                return apply(hang);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // While the hung plugin holds its call, the other plugins update their devices.
        assertOthersUpdate("1.4.0");
        assertFalse("the hung plugin has not answered yet", hanging.isDone());
        try {
            hanging.get(90, TimeUnit.SECONDS);
            throw new AssertionError("the hung plugin's release was applied");
        } catch (ExecutionException e) {
            UpdateFailedException failed = (UpdateFailedException) e.getCause().getCause();
            assertEquals(failed.getMessage(), UpdateFailureCode.PLUGIN_TIMEOUT, failed.code());
        }
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("[VendorPluginIT] hung plugin answered PLUGIN_TIMEOUT after " + waitedMillis + " ms");
        // Still stuck: refused at once instead of piling up another stuck thread.
        UpdateFailedException again = applyExpectingFailure(hang);
        assertEquals(again.getMessage(), UpdateFailureCode.PLUGIN_TIMEOUT, again.code());
        assertTrue(again.getMessage(), again.getMessage().contains("still stuck"));
        assertOthersUpdate("1.5.0");
        // Stopping the rogue bundle releases its threads; the gateway goes on.
        gateway.bundle(ExamplePlugins.ROGUE_BUNDLE).stop();
        assertOthersUpdate("1.6.0");
    }

    private void installRogue() throws Exception {
        if (!installed(ExamplePlugins.ROGUE_BUNDLE)) {
            UpdateReport r = apply(release("rogue.gantry"));
            assertEquals(List.of("installed bundle " + ExamplePlugins.ROGUE_BUNDLE + " 1.0.0"), r.details());
        }
        assertEquals(Bundle.ACTIVE, gateway.bundle(ExamplePlugins.ROGUE_BUNDLE).getState());
    }

    /** The valve (at {@code valveVersion}) and the Acme sensor both update. */
    private void assertOthersUpdate(String valveVersion) throws Exception {
        assertTrue(apply(valveFirmware(valveVersion)).details().get(0).contains("result=UPDATED version=" + valveVersion));
        assertAcmeUpdates();
    }

    private void assertAcmeUpdates() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        String version = f.nextFirmwareVersion();
        String line = apply(f.firmwareRelease(version, "alice", "bob")).details().get(0);
        assertTrue(line, line.startsWith("device=sensor-1 ") && line.contains("result=UPDATED"));
        assertEquals(version, f.sensorState("sensor-1").getProperty("version"));
    }

    private Path valveFirmware(String version) throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        return f.release("valve-fw", version, ReleaseKind.FIRMWARE, ExamplePlugins.VALVE_TYPE, "valve.img",
                f.file("valve image " + version + "\n"), "alice", "bob");
    }

    private Path firmware(String deviceType, String version) throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        return f.release(deviceType + "-fw", version, ReleaseKind.FIRMWARE, deviceType, "image.bin",
                f.file(deviceType + " " + version + "\n"), "alice", "bob");
    }

    private boolean installed(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return true;
            }
        }
        return false;
    }

    private DownstreamDeviceUpdater plugin(String deviceType) throws Exception {
        ServiceTracker<DownstreamDeviceUpdater, DownstreamDeviceUpdater> t = new ServiceTracker<>(context,
                DownstreamDeviceUpdater.class, null);
        t.open();
        try {
            assertNotNull(t.waitForService(20_000));
            for (DownstreamDeviceUpdater p : t.getServices(new DownstreamDeviceUpdater[0])) {
                if (deviceType.equals(p.deviceType())) {
                    return p;
                }
            }
            return null;
        } finally {
            t.close();
        }
    }

    private Path release(String file) {
        return GatewayFixture.fromSystemProperty().home().resolve(RELEASES).resolve(file);
    }

    private UpdateReport apply(Path archive) throws Exception {
        return gateway.applyWithCurrentAgent(archive);
    }

    private UpdateFailedException applyExpectingFailure(Path archive) throws Exception {
        return gateway.applyExpectingFailure(archive);
    }
}
