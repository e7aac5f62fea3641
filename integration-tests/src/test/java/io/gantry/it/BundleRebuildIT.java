package io.gantry.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.testing.fleet.BundleRebuild;
import io.gantry.testing.fleet.FaultyRevisions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The revisions {@link BundleRebuild} makes are bundles Felix runs: each gateway bundle of the swap
 * tests is rebuilt from its sources with a probe component at 0.2.0, updated in place in the
 * gateway's real bundle set, and the probe's service appears, registered by the new revision. This
 * checks the builder, not the update path: the swap tests install the same revisions by signed release.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleRebuildIT {
    private static final String REVISIONS = "gantry.it.revisions";
    private static final String REFUSAL = "revision 0.3.0 refuses to start";
    private static final List<String> SWAPPED = List.of("io.gantry.keystore", "io.gantry.verifier",
            "io.gantry.rollback", "io.gantry.counter.pkcs11", "io.gantry.renewal", "io.gantry.agent");

    @Inject
    BundleContext context;

    /** Outside the framework: builds the six revisions, then provisions the gateway. */
    @Configuration
    public Option[] config() throws Exception {
        GatewayFixture fixture = GatewayFixture.create();
        Path revisions = fixture.home().resolve("revisions");
        for (String bsn : SWAPPED) {
            BundleRebuild.of(bsn).version("0.2.0").revisionProbe("r2").build(revisions);
        }
        FaultyRevisions.verifierFailingActivation(REFUSAL).version("0.3.0").build(revisions);
        return GatewayContainer.options(fixture.conf(),
                systemProperty(GatewayFixture.HOME_PROPERTY).value(fixture.home().toString()),
                systemProperty(REVISIONS).value(revisions.toString()));
    }

    @Test
    public void keystore() throws Exception {
        swap("io.gantry.keystore");
    }

    @Test
    public void verifier() throws Exception {
        swap("io.gantry.verifier");
    }

    @Test
    public void rollback() throws Exception {
        swap("io.gantry.rollback");
    }

    @Test
    public void counter() throws Exception {
        swap("io.gantry.counter.pkcs11");
    }

    @Test
    public void renewal() throws Exception {
        swap("io.gantry.renewal");
    }

    @Test
    public void agent() throws Exception {
        swap("io.gantry.agent");
    }

    /** The replaced-class variant runs too: Felix installs it and SCR sees its component fail. */
    @Test
    public void verifierWhoseActivationFails() throws Exception {
        Bundle bundle = new GatewayContainer(context).bundle("io.gantry.verifier");
        update(bundle, "io.gantry.verifier-0.3.0.jar");
        // Follows the new revision's registration without getting the service, which would activate it.
        ServiceTracker<ReleaseVerifier, ServiceReference<ReleaseVerifier>> registered =
                new ServiceTracker<>(context, ReleaseVerifier.class, null) {
                    @Override
                    public ServiceReference<ReleaseVerifier> addingService(ServiceReference<ReleaseVerifier> ref) {
                        return bundle.equals(ref.getBundle()) ? ref : null;
                    }
                };
        registered.open();
        try {
            ServiceReference<ReleaseVerifier> ref = registered.waitForService(TimeUnit.SECONDS.toMillis(20));
            assertNotNull("the failing verifier is satisfied and registered", ref);
            assertNull("its activation fails", context.getService(ref));
        } finally {
            registered.close();
        }
        try (GatewayContainer gateway = new GatewayContainer(context)) {
            ServiceComponentRuntime scr = gateway.service(ServiceComponentRuntime.class);
            ComponentDescriptionDTO component = scr.getComponentDescriptionDTO(bundle,
                    "io.gantry.verifier.internal.SignedReleaseVerifier");
            ComponentConfigurationDTO configuration = scr.getComponentConfigurationDTOs(component).iterator().next();
            assertEquals(ComponentConfigurationDTO.FAILED_ACTIVATION, configuration.state);
            assertTrue(configuration.failure, configuration.failure.contains(REFUSAL));
        }
    }

    private void swap(String bsn) throws Exception {
        Bundle bundle = new GatewayContainer(context).bundle(bsn);
        String imports = bundle.getHeaders().get("Import-Package");
        // RevisionProbe.filter(bsn, "r2"), spelt out: test-fleet is not visible inside the framework.
        String filter = "(gantry.revision=" + bsn + ":r2)";
        ServiceTracker<Object, Object> probe = new ServiceTracker<>(context, context.createFilter(filter), null);
        probe.open();
        try {
            assertNull("no probe before the swap", probe.getServiceReference());
            update(bundle, bsn + "-0.2.0.jar");
            assertNotNull("the probe of " + bsn + " registered", probe.waitForService(TimeUnit.SECONDS.toMillis(20)));
            ServiceReference<Object> ref = probe.getServiceReference();
            assertEquals(bundle, ref.getBundle());
            assertEquals("0.2.0", bundle.getVersion().toString());
            assertEquals(Bundle.ACTIVE, bundle.getState());
            assertEquals(bsn + ":r2", probe.getService().toString());
            assertEquals("the rebuild computes the imports the Maven build did", imports,
                    bundle.getHeaders().get("Import-Package"));
        } finally {
            probe.close();
        }
    }

    /** Updates {@code bundle} from the revision {@code jar} and refreshes the wiring, as an update does. */
    private void update(Bundle bundle, String jar) throws Exception {
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty(REVISIONS), jar))) {
            bundle.update(in);
        }
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        assertTrue("refreshed", done.await(20, TimeUnit.SECONDS));
    }
}
