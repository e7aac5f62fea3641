package io.gantry.it;

import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The pax-exam side of the gateway ITs: a Felix framework with exactly the gateway's bundle set
 * (edge-runtime/target/gateway/bundle) configured through FileInstall, and access to its bundles and
 * services from inside a test.
 */
final class GatewayContainer implements AutoCloseable {
    private final BundleContext context;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    GatewayContainer(BundleContext context) {
        this.context = context;
    }

    /** @return the options for a framework reading its configuration from {@code conf} */
    static Option[] options(Path conf, Option... extra) throws IOException {
        List<Option> opts = new ArrayList<>(List.of(extra));
        opts.add(systemProperty("pax.exam.osgi.unresolved.fail").value("true"));
        opts.add(frameworkProperty("felix.fileinstall.dir").value(conf.toString()));
        opts.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        opts.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        // As the gateway launcher does: FileInstall must not write configurations back into the
        // folder, which would make it re-read its own output and re-apply the configurations.
        opts.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("gantry.gateway.dist"), "bundle"))) {
            jars.sorted().forEach(j -> opts.add(CoreOptions.bundle(j.toUri().toString())));
        }
        opts.add(junitBundles());
        return opts.toArray(new Option[0]);
    }

    /** @return the installed bundle with that symbolic name */
    Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn);
    }

    /**
     * Gets a service and keeps it in use until {@link #close()}: releasing a delayed DS component's
     * service deactivates it, so a released reference would be a stale instance.
     */
    <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        trackers.add(tracker);
        T s = tracker.waitForService(TimeUnit.SECONDS.toMillis(20));
        assertNotNull("no " + type.getSimpleName() + " service", s);
        return s;
    }

    /** Releases every service obtained through {@link #service}. */
    @Override
    public void close() {
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
    }
}
