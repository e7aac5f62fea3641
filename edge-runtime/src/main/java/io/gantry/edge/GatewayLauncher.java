package io.gantry.edge;

import io.gantry.coordinator.launch.CoordinatorRuntime;
import io.gantry.coordinator.launch.CoordinatorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Starts a gateway: Felix with persistent storage under the gateway home, so bundles installed or
 * updated over the air survive a restart. On the very first start the distribution's bundles are
 * installed; afterwards the framework's own storage is the truth. Between the framework's init and
 * start, before any bundle runs, the update coordinator completes or reverts a bundle-set
 * transaction that a crash or kill interrupted; it then runs on the launcher's side of the
 * framework, outside every bundle it may replace. Configuration comes from
 * {@code <home>/conf/*.cfg} through Felix FileInstall into ConfigAdmin.
 *
 * <p>Usage: {@code java -cp <dist>/lib/* io.gantry.edge.GatewayLauncher <home> [<dist>]}
 */
public final class GatewayLauncher {
    private GatewayLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: GatewayLauncher <gateway-home> [<distribution-dir>]");
            System.exit(2);
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "[gateway] %4$s %5$s%6$s%n");
        Path home = Path.of(args[0]).toAbsolutePath();
        Path dist = args.length > 1 ? Path.of(args[1]).toAbsolutePath() : distributionOfThisJar();
        Files.createDirectories(home.resolve("conf"));
        long t0 = System.nanoTime();
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next()
                .newFramework(frameworkProperties(home));
        framework.init();
        int installed = BundleSet.installIfFirstStart(framework.getBundleContext(), dist.resolve("bundle"));
        framework.getBundleContext().addBundleListener(new BundleChangePrinter());
        // Before any bundle runs: finish or revert a bundle-set transaction a stop interrupted.
        CoordinatorRuntime coordinator = CoordinatorRuntime.recover(framework.getBundleContext(),
                home.resolve("state/coordinator"), CoordinatorSettings.load(home.resolve("conf/coordinator.properties")),
                Clock.systemUTC());
        coordinator.recovered().forEach(line -> System.out.println("[gateway] coordinator: " + line));
        framework.start();
        BundleSet.startAll(framework.getBundleContext());
        // Only now, with every bundle started: a set on trial resumes its soak checks, which must
        // never race the start of the bundles they check.
        coordinator.start();
        System.out.printf("[gateway] Felix started with %d bundles (%s) in %d ms, home %s%n",
                framework.getBundleContext().getBundles().length - 1,
                installed > 0 ? installed + " installed from distribution" : "restored from storage",
                (System.nanoTime() - t0) / 1_000_000, home);
        if (Boolean.getBoolean("gantry.gateway.listBundles")) {
            for (org.osgi.framework.Bundle b : framework.getBundleContext().getBundles()) {
                System.out.printf("[gateway] running %s %s state %d%n", b.getSymbolicName(), b.getVersion(), b.getState());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            coordinator.close();
            stop(framework);
        }, "gateway-shutdown"));
        framework.waitForStop(0);
    }

    /**
     * The JDK's HTTP server, which the local DDI endpoint (io.gantry.localddi) serves Linux
     * devices with; the JavaSE-17 execution environment does not list it (gateway.bndrun
     * -runsystempackages says the same for the resolver).
     */
    static final String JDK_HTTP_SERVER = "com.sun.net.httpserver";

    static Map<String, String> frameworkProperties(Path home) {
        return Map.of(
                "org.osgi.framework.storage", home.resolve("state/felix-cache").toString(),
                // The coordinator's contract comes from the launcher, never from a bundle it replaces.
                "org.osgi.framework.system.packages.extra", CoordinatorRuntime.SYSTEM_PACKAGES + "," + JDK_HTTP_SERVER,
                // Never wipe storage: bundles installed over the air must survive a restart.
                "org.osgi.framework.storage.clean", "none",
                "felix.fileinstall.dir", home.resolve("conf").toString(),
                "felix.fileinstall.poll", "1000",
                "felix.fileinstall.noInitialDelay", "true",
                "felix.fileinstall.enableConfigSave", "false",
                "felix.fileinstall.log.level", "1",
                "gantry.gateway.home", home.toString());
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(30_000);
        } catch (Exception e) {
            System.err.println("[gateway] clean stop failed: " + e);
        }
    }

    private static Path distributionOfThisJar() throws Exception {
        Path jar = Path.of(GatewayLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().getParent();
    }
}
