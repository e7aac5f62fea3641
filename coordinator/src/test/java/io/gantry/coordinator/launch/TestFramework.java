package io.gantry.coordinator.launch;

import io.gantry.coordinator.HealthGate;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;

/** A real Felix with persistent storage in a folder, and bundle jars made on the spot. */
final class TestFramework {
    private TestFramework() {
    }

    static Framework initialised(Path storage) throws Exception {
        Framework f = new Felix(Map.of("org.osgi.framework.storage", storage.toString(),
                "org.osgi.framework.storage.clean", "none",
                "org.osgi.framework.system.packages.extra", CoordinatorRuntime.SYSTEM_PACKAGES));
        f.init();
        return f;
    }

    /** A bundle with no code: enough to switch, refresh, start and revert. */
    static Path jar(Path dir, String bsn, String version) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", bsn);
        a.putValue("Bundle-Version", version);
        Files.createDirectories(dir);
        Path jar = dir.resolve(bsn + "-" + version + ".jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf)) {
            out.flush();
        }
        return jar;
    }

    static Bundle find(Framework f, String bsn) {
        for (Bundle b : f.getBundleContext().getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    static ServiceRegistration<HealthGate> gate(Framework f, String name, HealthGate gate) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HealthGate.NAME, name);
        return f.getBundleContext().registerService(HealthGate.class, gate, props);
    }
}
