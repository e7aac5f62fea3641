package io.gantry.coordinator.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The framework operations of a transaction, run by the system bundle's context: switch a set of
 * bundles to the journal's new jars or back to its previous ones, then refresh the wiring of all
 * of them at once and start them. Bundles are stopped transiently, so a crash in the middle leaves
 * their persistent start setting as it was.
 */
final class BundleSetSwitch {
    private static final long REFRESH_SECONDS = 60;
    private final BundleContext system;
    private final Path committed;

    BundleSetSwitch(BundleContext system, Path committed) {
        this.system = system;
        this.committed = committed;
    }

    Bundle find(String bsn) {
        for (Bundle b : system.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    /**
     * Keeps a copy of the running bundle: the committed copy of an earlier transaction, else the
     * file it was installed from; either only if its version is the running version.
     *
     * @throws IOException when there is no such copy: without a way back the update is refused
     */
    void keepRunning(Bundle running, Path to) throws IOException {
        Path source = committed.resolve(running.getSymbolicName() + ".jar");
        if (!Files.exists(source) || !running.getVersion().toString().equals(JarFiles.bundleVersion(source))) {
            if (!running.getLocation().startsWith("file:")) {
                throw new IOException("no copy of the running " + running.getSymbolicName() + " " + running.getVersion()
                        + " to go back to (installed from " + running.getLocation() + ")");
            }
            source = Path.of(URI.create(running.getLocation()));
        }
        JarFiles.copy(Files.newInputStream(source), to);
        if (!running.getVersion().toString().equals(JarFiles.bundleVersion(to))) {
            throw new IOException("the kept copy of " + running.getSymbolicName() + " is version "
                    + JarFiles.bundleVersion(to) + ", not the running " + running.getVersion());
        }
    }

    /** Installs or updates every bundle of the journal to its new jar (no refresh, no start). */
    List<Bundle> switchToNew(Journal j) throws BundleException, IOException {
        List<Bundle> set = new ArrayList<>();
        stopTransiently(j);
        for (Journal.Entry e : j.bundles) {
            Bundle b = find(e.symbolicName());
            try (InputStream in = Files.newInputStream(j.newJar(e.symbolicName()))) {
                if (b == null) {
                    b = system.installBundle("gantry:" + e.symbolicName(), in);
                } else {
                    b.update(in);
                }
            }
            set.add(b);
        }
        return set;
    }

    /**
     * Puts every bundle of the journal back to its previous jar; a bundle the set brought in is
     * uninstalled. Works whatever part of the switch had happened (a bundle not yet updated is
     * updated to the same version again).
     *
     * @return the bundles put back
     */
    List<Bundle> switchToPrevious(Journal j) throws BundleException, IOException {
        List<Bundle> set = new ArrayList<>();
        stopTransiently(j);
        for (Journal.Entry e : j.bundles) {
            Bundle b = find(e.symbolicName());
            if (e.fresh()) {
                if (b != null) {
                    b.uninstall();
                }
                continue;
            }
            if (b == null) {
                b = system.installBundle("gantry:" + e.symbolicName(), Files.newInputStream(j.previousJar(e.symbolicName())));
            } else {
                // Always the kept jar, even for a bundle the switch had not reached: the same
                // version again is harmless, and it needs no guess about how far the switch got.
                try (InputStream in = Files.newInputStream(j.previousJar(e.symbolicName()))) {
                    b.update(in);
                }
            }
            set.add(b);
        }
        return set;
    }

    private void stopTransiently(Journal j) throws BundleException {
        for (Journal.Entry e : j.bundles) {
            Bundle b = find(e.symbolicName());
            if (b != null && b.getState() == Bundle.ACTIVE && !isFragment(b)) {
                b.stop(Bundle.STOP_TRANSIENT);
            }
        }
    }

    /** Refreshes the wiring of the bundles (null: every bundle waiting for removal) and whatever depends on them, and waits. */
    void refresh(List<Bundle> bundles) throws BundleException {
        CountDownLatch done = new CountDownLatch(1);
        system.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, event -> done.countDown());
        try {
            if (!done.await(REFRESH_SECONDS, TimeUnit.SECONDS)) {
                throw new BundleException("wiring refresh did not finish in " + REFRESH_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BundleException("interrupted while refreshing the wiring", e);
        }
    }

    /** Starts each bundle that is not a fragment. */
    static void start(List<Bundle> bundles) throws BundleException {
        for (Bundle b : bundles) {
            if (!isFragment(b) && b.getState() != Bundle.UNINSTALLED) {
                b.start();
            }
        }
    }

    /** Makes the new jars the committed copies the next transaction keeps. */
    void commitCopies(Journal j) throws IOException {
        for (Journal.Entry e : j.bundles) {
            JarFiles.copy(Files.newInputStream(j.newJar(e.symbolicName())), committed.resolve(e.symbolicName() + ".jar"));
        }
    }

    static boolean isFragment(Bundle b) {
        return b.getHeaders().get("Fragment-Host") != null;
    }
}
