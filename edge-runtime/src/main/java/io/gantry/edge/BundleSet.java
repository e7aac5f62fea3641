package io.gantry.edge;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Installs the distribution's bundles into empty framework storage and starts what is installed.
 * The distribution's bundle folder holds exactly the {@code -runbundles} of edge-runtime's
 * gateway.bndrun (exported by the build), so this installs the resolved bill of materials.
 */
final class BundleSet {
    private BundleSet() {
    }

    /** @return how many bundles were installed: zero when storage already holds bundles */
    static int installIfFirstStart(BundleContext context, Path bundleDir) throws IOException, BundleException {
        if (context.getBundles().length > 1) {
            return 0;
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(bundleDir, "*.jar")) {
            ds.forEach(jars::add);
        }
        jars.sort(null);
        for (Path jar : jars) {
            context.installBundle(jar.toUri().toString());
        }
        return jars.size();
    }

    /** Starts every installed bundle that is not a fragment; a bundle that fails is reported, not fatal. */
    static void startAll(BundleContext context) {
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0 || b.getHeaders().get("Fragment-Host") != null || b.getState() == Bundle.ACTIVE) {
                continue;
            }
            try {
                b.start();
            } catch (BundleException e) {
                System.err.println("[gateway] bundle " + b.getSymbolicName() + " did not start: " + e.getMessage());
            }
        }
    }
}
