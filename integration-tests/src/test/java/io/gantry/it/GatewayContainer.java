package io.gantry.it;

import static org.junit.Assert.assertNotNull;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.gantry.coordinator.BundleSetCoordinator;
import io.gantry.coordinator.launch.CoordinatorRuntime;
import io.gantry.coordinator.launch.CoordinatorSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The pax-exam side of the gateway ITs: a Felix framework with exactly the gateway's bundle set
 * (the {@code -runbundles} of edge-runtime/gateway.bndrun, as the edge-runtime build exported them
 * to edge-runtime/target/gateway/bundle) configured through FileInstall, and access to its bundles
 * and services from inside a test.
 */
final class GatewayContainer implements AutoCloseable {
    private final BundleContext context;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    /** Also starts the update coordinator on the system bundle, as the launcher does, once per framework. */
    GatewayContainer(BundleContext context) {
        this.context = context;
        BundleContext system = context.getBundle(0).getBundleContext();
        if (system.getServiceReference(BundleSetCoordinator.class) == null) {
            try {
                CoordinatorRuntime.recover(system, system.getDataFile("coordinator").toPath(), coordinatorSettings(),
                        Clock.systemUTC()).start();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot start the update coordinator", e);
            }
        }
    }

    /** Short deadlines and no soak, so tests see outcomes quickly; the gates are the gateway's own. */
    static CoordinatorSettings coordinatorSettings() {
        return new CoordinatorSettings(Duration.ofSeconds(20), Duration.ZERO, Duration.ofSeconds(1), 2,
                Set.of("components"), null);
    }

    /** @return the options for a framework reading its configuration from {@code conf} */
    static Option[] options(Path conf, Option... extra) throws IOException {
        List<Option> opts = new ArrayList<>(List.of(extra));
        opts.add(systemProperty("pax.exam.osgi.unresolved.fail").value("true"));
        // As the launcher: the coordinator's contract from the system bundle; here also its
        // launch package, since the test starts the coordinator from inside the framework.
        // (pax-exam writes org.osgi.framework.system.packages.extra from its systemPackages options)
        opts.add(CoreOptions.systemPackages("io.gantry.coordinator;version=1.0.0", "io.gantry.coordinator.launch;version=1.0.0",
                "com.sun.net.httpserver"));
        opts.add(frameworkProperty("felix.fileinstall.dir").value(conf.toString()));
        opts.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        opts.add(frameworkProperty("felix.fileinstall.poll").value("200"));
        // As the gateway launcher does: FileInstall must not write configurations back into the
        // folder, which would make it re-read its own output and re-apply the configurations.
        opts.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        for (Path jar : runBundles(Path.of(System.getProperty("gantry.gateway.bndrun")),
                Path.of(System.getProperty("gantry.gateway.dist"), "bundle"))) {
            opts.add(CoreOptions.bundle(jar.toUri().toString()));
        }
        opts.add(junitBundles());
        return opts.toArray(new Option[0]);
    }

    /**
     * The jars of the bndrun's {@code -runbundles}, in that order, taken from the distribution's
     * bundle folder; fails if the folder holds a bundle more or less than the bndrun lists, so a
     * distribution left over from an older resolution is never tested.
     */
    static List<Path> runBundles(Path bndrun, Path bundleDir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(bndrun)) {
            p.load(r);
        }
        String value = p.getProperty("-runbundles", "").trim();
        if (value.isEmpty()) {
            throw new AssertionError("no -runbundles in " + bndrun);
        }
        Map<String, Path> byBsn = new TreeMap<>();
        try (Stream<Path> jars = Files.list(bundleDir)) {
            for (Path jar : (Iterable<Path>) jars.filter(j -> j.toString().endsWith(".jar")).sorted()::iterator) {
                try (JarFile jf = new JarFile(jar.toFile())) {
                    String bsn = jf.getManifest() == null ? null
                            : jf.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
                    bsn = bsn == null ? "(not a bundle) " + jar.getFileName() : bsn.split(";")[0].trim();
                    Path other = byBsn.put(bsn, jar);
                    if (other != null) {
                        throw new AssertionError(bundleDir + " holds " + bsn + " twice: " + other + ", " + jar);
                    }
                }
            }
        }
        List<Path> out = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>();
        // Entries are "bsn;version='[a,b)'": split on the commas outside quotes.
        for (String entry : value.split(",(?=(?:[^']*'[^']*')*[^']*$)")) {
            String bsn = entry.split(";")[0].trim();
            Path jar = byBsn.remove(bsn);
            if (jar == null) {
                missing.add(bsn);
            } else {
                out.add(jar);
            }
        }
        if (!missing.isEmpty() || !byBsn.isEmpty()) {
            throw new AssertionError(bundleDir + " does not hold the -runbundles of " + bndrun + ": missing "
                    + missing + ", not listed " + byBsn.keySet() + " (rebuild edge-runtime)");
        }
        return out;
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

    /**
     * Applies a release through whichever update agent is registered now: the one that served an
     * earlier call may have been replaced since.
     */
    io.gantry.api.agent.UpdateReport applyWithCurrentAgent(Path archive) throws Exception {
        try (io.gantry.release.ArchiveReleaseSource src = io.gantry.release.ReleaseArchive.open(archive)) {
            ServiceTracker<io.gantry.api.agent.UpdateAgent, io.gantry.api.agent.UpdateAgent> t =
                    new ServiceTracker<>(context, io.gantry.api.agent.UpdateAgent.class, null);
            t.open();
            try {
                io.gantry.api.agent.UpdateAgent agent = t.waitForService(20_000);
                assertNotNull("an update agent", agent);
                return agent.apply(src);
            } finally {
                t.close();
            }
        }
    }

    /** Like {@link #applyWithCurrentAgent}, for a release that must fail: @return the failure */
    io.gantry.api.agent.UpdateFailedException applyExpectingFailure(Path archive) throws Exception {
        try {
            applyWithCurrentAgent(archive);
        } catch (io.gantry.api.agent.UpdateFailedException e) {
            return e;
        }
        throw new AssertionError("release " + archive + " was applied");
    }

    /** Releases every service obtained through {@link #service}. */
    @Override
    public void close() {
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
    }
}
