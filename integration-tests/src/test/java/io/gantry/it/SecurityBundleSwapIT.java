package io.gantry.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateReport;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.rollback.InstallFailureCode;
import io.gantry.api.verify.RejectionCode;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ReleaseArchive;
import io.gantry.testing.fleet.BundleRebuild;
import io.gantry.testing.fleet.FaultyRevisions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Each of the gateway's security bundles replaced by a signed release through the real update
 * path (verifier, rollback bundle, update coordinator), in the gateway's real bundle set in Felix:
 * a genuinely new build of the bundle (its sources compiled again with a probe component) whose
 * probe then runs. The call that applies each release is itself an update in progress across the
 * swap: it is answered although the agent, verifier or rollback bundle serving it was replaced. A
 * verifier that fails its health gate is reverted by itself; a tampered release offered during a
 * verifier swap is still rejected; two bundles switch as one transaction.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class SecurityBundleSwapIT {
    private static final String REVISIONS = "gantry.it.revisions";
    private static final String REFUSAL = "revision 0.3.0 refuses to start";

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

    /** Outside the framework: builds the revisions and signs a release of each. */
    @Configuration
    public Option[] config() throws Exception {
        GatewayFixture f = GatewayFixture.create();
        Path revisions = f.home().resolve("revisions");
        Path releases = Files.createDirectories(f.home().resolve("swap-releases"));
        for (String bsn : List.of("io.gantry.keystore", "io.gantry.verifier", "io.gantry.rollback",
                "io.gantry.counter.pkcs11", "io.gantry.renewal", "io.gantry.agent")) {
            Path jar = BundleRebuild.of(bsn).version("0.2.0").revisionProbe("r2").build(revisions);
            Files.copy(f.bundleRelease(bsn, "0.2.0", jar, "alice", "bob"), releases.resolve(bsn + "-0.2.0.gantry"));
        }
        Path faulty = FaultyRevisions.verifierFailingActivation(REFUSAL).version("0.3.0").build(revisions);
        Files.copy(f.bundleRelease("io.gantry.verifier", "0.3.0", faulty, "alice", "bob"),
                releases.resolve("io.gantry.verifier-0.3.0.gantry"));
        Map<String, Path> set = new LinkedHashMap<>();
        set.put("io.gantry.keystore-0.5.0.jar", BundleRebuild.of("io.gantry.keystore").version("0.5.0").revisionProbe("r5").build(revisions));
        set.put("io.gantry.renewal-0.5.0.jar", BundleRebuild.of("io.gantry.renewal").version("0.5.0").revisionProbe("r5").build(revisions));
        Files.copy(f.release("gateway-identity", "0.5.0", ReleaseKind.BUNDLE, "gantry-gateway", set, f.keys("alice", "bob")),
                releases.resolve("gateway-identity-0.5.0.gantry"));
        return GatewayContainer.options(f.conf(),
                systemProperty(GatewayFixture.HOME_PROPERTY).value(f.home().toString()),
                systemProperty(REVISIONS).value(revisions.toString()));
    }

    @Test
    public void a1KeystoreSwapsBySignedRelease() throws Exception {
        swap("io.gantry.keystore");
    }

    @Test
    public void a2VerifierSwapsWhileTamperedReleasesKeepBeingRejected() throws Exception {
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        Path tampered = f.withPayloadReplaced(f.firmwareRelease(f.nextFirmwareVersion(), "alice", "bob"), "ACME-FW 9\nevil\n");
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        ServiceTracker<UpdateAgent, UpdateAgent> agents = new ServiceTracker<>(context, UpdateAgent.class, null);
        agents.open();
        try {
            CompletableFuture<Void> swapping = CompletableFuture.runAsync(() -> {
                try {
                    swap("io.gantry.verifier");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!swapping.isDone() || rejected.get() == 0) {
                UpdateAgent agent = agents.getService();
                if (agent == null) {
                    continue;
                }
                try (ArchiveReleaseSource src = ReleaseArchive.open(tampered)) {
                    agent.apply(src);
                    accepted.incrementAndGet();
                } catch (UpdateFailedException e) {
                    assertTrue(e.code() + " " + e.getMessage(), e.code() instanceof RejectionCode);
                    rejected.incrementAndGet();
                } catch (IllegalStateException e) {
                    // A component deactivated under the call while its bundle was being replaced: no verdict, nothing installed.
                }
            }
            swapping.get(60, TimeUnit.SECONDS);
        } finally {
            agents.close();
        }
        assertEquals("tampered releases accepted during the swap", 0, accepted.get());
        assertTrue(rejected.get() > 0);
        // The new verifier judges: genuine firmware installs, the tampered one stays refused.
        UpdateReport genuine = apply(f.firmwareRelease(f.nextFirmwareVersion(), "alice", "bob"));
        assertTrue(genuine.details().toString(), genuine.details().get(0).contains("result=UPDATED"));
        assertTrue(applyExpectingFailure(tampered).code() instanceof RejectionCode);
    }

    @Test
    public void a3RollbackBundleSwapsItself() throws Exception {
        swap("io.gantry.rollback");
    }

    @Test
    public void a4CounterSwapsBySignedRelease() throws Exception {
        swap("io.gantry.counter.pkcs11");
    }

    @Test
    public void a5RenewalSwapsBySignedRelease() throws Exception {
        swap("io.gantry.renewal");
    }

    @Test
    public void a6AgentSwapsItselfAndTheCallStillGetsItsAnswer() throws Exception {
        swap("io.gantry.agent");
    }

    @Test
    public void b1VerifierFailingItsHealthGateIsRevertedByItself() throws Exception {
        Bundle verifier = gateway.bundle("io.gantry.verifier");
        String before = verifier.getVersion().toString();
        UpdateFailedException e = applyExpectingFailure(release("io.gantry.verifier", "0.3.0"));
        assertEquals(e.getMessage(), InstallFailureCode.HEALTH_CHECK_FAILED, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains(REFUSAL));
        assertEquals(before, gateway.bundle("io.gantry.verifier").getVersion().toString());
        assertEquals(Bundle.ACTIVE, gateway.bundle("io.gantry.verifier").getState());
        GatewayFixture f = GatewayFixture.fromSystemProperty();
        UpdateReport genuine = apply(f.firmwareRelease(f.nextFirmwareVersion(), "alice", "bob"));
        assertTrue("the restored verifier verifies", genuine.details().get(0).contains("result=UPDATED"));
    }

    @Test
    public void c1TwoBundlesSwitchAsOneTransaction() throws Exception {
        ServiceTracker<Object, Object> keystore = probe("io.gantry.keystore", "r5");
        ServiceTracker<Object, Object> renewal = probe("io.gantry.renewal", "r5");
        try {
            UpdateReport report = apply(release("gateway-identity", "0.5.0"));
            assertEquals(report.details().toString(), 2, report.details().size());
            assertEquals("0.5.0", gateway.bundle("io.gantry.keystore").getVersion().toString());
            assertEquals("0.5.0", gateway.bundle("io.gantry.renewal").getVersion().toString());
            assertNotNull(keystore.waitForService(20_000));
            assertNotNull(renewal.waitForService(20_000));
        } finally {
            keystore.close();
            renewal.close();
        }
    }

    private void swap(String bsn) throws Exception {
        ServiceTracker<Object, Object> probe = probe(bsn, "r2");
        try {
            assertNull("no probe before the swap", probe.getServiceReference());
            String before = gateway.bundle(bsn).getVersion().toString();
            UpdateReport report = apply(release(bsn, "0.2.0"));
            assertEquals(List.of("updated bundle " + bsn + " " + before + " -> 0.2.0"), report.details());
            Bundle after = gateway.bundle(bsn);
            assertEquals("0.2.0", after.getVersion().toString());
            assertEquals(Bundle.ACTIVE, after.getState());
            assertNotNull("the new build of " + bsn + " runs", probe.waitForService(20_000));
            assertEquals(after, probe.getServiceReference().getBundle());
        } finally {
            probe.close();
        }
    }

    private ServiceTracker<Object, Object> probe(String bsn, String label) throws Exception {
        // RevisionProbe.filter(bsn, label), spelt out: test-fleet is not visible inside the framework.
        ServiceTracker<Object, Object> t = new ServiceTracker<>(context,
                context.createFilter("(gantry.revision=" + bsn + ":" + label + ")"), null);
        t.open();
        return t;
    }

    private Path release(String bsn, String version) {
        return GatewayFixture.fromSystemProperty().home().resolve("swap-releases").resolve(bsn + "-" + version + ".gantry");
    }

    private UpdateReport apply(Path archive) throws Exception {
        return gateway.applyWithCurrentAgent(archive);
    }

    private UpdateFailedException applyExpectingFailure(Path archive) throws Exception {
        return gateway.applyExpectingFailure(archive);
    }
}
