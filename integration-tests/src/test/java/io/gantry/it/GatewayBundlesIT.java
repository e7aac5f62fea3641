package io.gantry.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateReport;
import io.gantry.api.device.DownstreamDeviceUpdater;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.rollback.InstallFailureCode;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ReleaseArchive;
import io.gantry.testing.TestReleases;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * The gateway's real bundle set (edge-runtime/target/gateway/bundle) in Felix: the verifier
 * rejects tampered and foreign releases without touching anything, and the agent installs
 * genuine ones, a gateway bundle in place and a firmware through the vendor plugin.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayBundlesIT {
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

    @Configuration
    public Option[] config() throws Exception {
        GatewayFixture fixture = GatewayFixture.create();
        return GatewayContainer.options(fixture.conf(),
                systemProperty(GatewayFixture.HOME_PROPERTY).value(fixture.home().toString()));
    }

    @Test
    public void verifierRejectsTamperedPayloadAndDeviceKeepsItsFirmware() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        Properties before = f.sensorState("sensor-1");
        String next = f.nextFirmwareVersion();
        Path genuine = f.firmwareRelease(next, "alice", "bob");
        Path tampered = f.withPayloadReplaced(genuine, "ACME-FW " + next + "\nevilware body\n");
        ReleaseVerifier verifier = gateway.service(ReleaseVerifier.class);
        try (ArchiveReleaseSource src = ReleaseArchive.open(tampered)) {
            verifier.verify(src);
            fail("tampered payload verified");
        } catch (ReleaseRejectedException e) {
            assertEquals(RejectionCode.HASH_MISMATCH, e.code());
        }
        UpdateFailedException e = applyExpectingFailure(tampered);
        assertEquals(RejectionCode.HASH_MISMATCH, e.code());
        assertEquals(before, f.sensorState("sensor-1"));
    }

    @Test
    public void agentInstallsGenuineFirmwareThroughVendorPlugin() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        gateway.service(DownstreamDeviceUpdater.class);
        Properties before = f.sensorState("sensor-1");
        String next = f.nextFirmwareVersion();
        UpdateReport report = apply(f.firmwareRelease(next, "alice", "bob"));
        assertEquals(next, report.version());
        Properties after = f.sensorState("sensor-1");
        assertEquals(next, after.getProperty("version"));
        assertTrue("the inactive slot became active",
                !before.getProperty("active", "a").equals(after.getProperty("active")));
    }

    @Test
    public void agentUpdatesGatewayBundleInPlace() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        gateway.service(DownstreamDeviceUpdater.class);
        Bundle plugin = gateway.bundle("com.acme.gantry.sensor");
        long id = plugin.getBundleId();
        String next = (plugin.getVersion().getMajor() + 1) + ".0.0";
        UpdateReport report = apply(f.pluginRelease(next, "alice", "bob"));
        assertTrue(report.details().get(0), report.details().get(0).startsWith("updated bundle com.acme.gantry.sensor"));
        Bundle after = gateway.bundle("com.acme.gantry.sensor");
        assertEquals(id, after.getBundleId());
        assertEquals(next, after.getVersion().toString());
        assertEquals(Bundle.ACTIVE, after.getState());
    }

    @Test
    public void unknownSignerIsRejectedAndBundleUnchanged() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        gateway.service(DownstreamDeviceUpdater.class);
        String before = gateway.bundle("com.acme.gantry.sensor").getVersion().toString();
        Path rogue = f.release("com.acme.gantry.sensor", "99.0.0", ReleaseKind.BUNDLE, "gantry-gateway",
                java.util.Map.of("com.acme.gantry.sensor.jar", f.pluginJar("99.0.0")),
                List.of(TestReleases.newKey(), TestReleases.newKey()));
        UpdateFailedException e = applyExpectingFailure(rogue);
        assertEquals(RejectionCode.UNKNOWN_SIGNER, e.code());
        assertEquals(before, gateway.bundle("com.acme.gantry.sensor").getVersion().toString());
    }

    @Test
    public void bundleReleaseWhosePayloadIsAnotherBundleIsRefused() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        String before = gateway.bundle("io.gantry.rollback").getVersion().toString();
        Path release = f.bundleRelease("io.gantry.rollback", "99.0.0", f.pluginJar("99.0.0"), "alice", "bob");
        UpdateFailedException e = applyExpectingFailure(release);
        assertEquals(InstallFailureCode.INSTALL_FAILED, e.code());
        assertEquals(before, gateway.bundle("io.gantry.rollback").getVersion().toString());
    }

    @Test
    public void firmwareForUnknownDeviceTypeIsWrongHardware() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        Properties before = f.sensorState("sensor-1");
        Path release = f.release("other-fw", "99.0.0", ReleaseKind.FIRMWARE, "other-device", "fw.img",
                f.file("ACME-FW 99.0.0\n"), "alice", "bob");
        assertEquals(RejectionCode.WRONG_HARDWARE, applyExpectingFailure(release).code());
        assertEquals(before, f.sensorState("sensor-1"));
    }

    @Test
    public void oneSignatureIsBelowTheTwoPersonThreshold() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        gateway.service(DownstreamDeviceUpdater.class);
        Properties before = f.sensorState("sensor-1");
        UpdateFailedException e = applyExpectingFailure(f.firmwareRelease(f.nextFirmwareVersion(), "alice"));
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, e.code());
        assertEquals(before, f.sensorState("sensor-1"));
    }

    @Test
    public void replayOfTheInstalledFirmwareIsRollback() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        gateway.service(DownstreamDeviceUpdater.class);
        String next = f.nextFirmwareVersion();
        apply(f.firmwareRelease(next, "acme1", "acme2"));
        Properties installed = f.sensorState("sensor-1");
        UpdateFailedException e = applyExpectingFailure(f.firmwareRelease(next, "alice", "bob"));
        assertEquals(RejectionCode.ROLLBACK, e.code());
        assertEquals(installed, f.sensorState("sensor-1"));
    }

    @Test
    public void vendorKeysCannotSignAGatewayCoreBundle() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        String before = gateway.bundle("io.gantry.rollback").getVersion().toString();
        Path release = f.bundleRelease("io.gantry.rollback", "99.0.0", f.pluginJar("99.0.0"), "acme1", "acme2");
        assertEquals(RejectionCode.UNAUTHORIZED_SIGNER, applyExpectingFailure(release).code());
        assertEquals(before, gateway.bundle("io.gantry.rollback").getVersion().toString());
    }

    @Test
    public void trustRootRotatesThroughTheUpdatePathAndRetiresASigner() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        gateway.service(DownstreamDeviceUpdater.class);
        ReleaseVerifier verifier = gateway.service(ReleaseVerifier.class);
        long version = verifier.trustRootVersion();
        // A rotation signed by only one root key is refused and changes nothing.
        UpdateFailedException weak = applyExpectingFailure(f.trustRootRelease(f.trustRoot(version + 1, "alice", "carol"), "root1"));
        assertEquals(RejectionCode.THRESHOLD_NOT_MET, weak.code());
        assertEquals(version, verifier.trustRootVersion());
        // A skipped version is refused.
        UpdateFailedException skip = applyExpectingFailure(
                f.trustRootRelease(f.trustRoot(version + 2, "alice", "carol"), "root1", "root2"));
        assertEquals(RejectionCode.BAD_ROTATION, skip.code());

        apply(f.trustRootRelease(f.trustRoot(version + 1, "alice", "carol"), "root1", "root2"));
        assertEquals(version + 1, verifier.trustRootVersion());
        UpdateFailedException retired = applyExpectingFailure(f.firmwareRelease(f.nextFirmwareVersion(), "alice", "bob"));
        assertEquals("bob was rotated out", RejectionCode.THRESHOLD_NOT_MET, retired.code());
        assertEquals(f.nextFirmwareVersion(), apply(f.firmwareRelease(f.nextFirmwareVersion(), "alice", "carol")).version());
        // Rotate once more to give the other tests of this class their signer pair back.
        apply(f.trustRootRelease(f.trustRoot(version + 2, "alice", "bob"), "root1", "root2"));
        assertEquals(version + 2, verifier.trustRootVersion());
    }

    private UpdateReport apply(Path archive) throws Exception {
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            return gateway.service(UpdateAgent.class).apply(src);
        }
    }

    private UpdateFailedException applyExpectingFailure(Path archive) throws Exception {
        try {
            apply(archive);
        } catch (UpdateFailedException e) {
            return e;
        }
        throw new AssertionError("release " + archive + " was applied");
    }



}
