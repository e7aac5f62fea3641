package io.gantry.it;

import io.gantry.api.counter.MonotonicCounter;
import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.release.PayloadCheck;
import io.gantry.release.TrustRootFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Everything a rejected release must leave as it was (THREATS.md, "Rejected means all six"), read
 * from the running gateway: every bundle's id, version, state and install time; whether each DS
 * component is satisfied; the anti-rollback counters as the {@link MonotonicCounter} service reads
 * them; the bytes of the trust root (provisioned and rotated), the device identity and the
 * committed bundle slots; each sensor's boot state, active image and flash file names; and what
 * sits in the verifier's staging.
 *
 * @param bundles symbolic name to "id version state lastModified"
 * @param components "bundle/component" to its configurations' states
 * @param counters counter name to value
 * @param trusted file to SHA-256: trust roots, identity, committed bundle jars
 * @param devices "sensor/what" to boot state, active image digest and file names
 * @param trustRootVersion the verifier's trust root version
 * @param staging what the verifier's staging folder holds
 */
record GatewaySnapshot(Map<String, String> bundles, Map<String, String> components, Map<String, String> counters,
        Map<String, String> trusted, Map<String, String> devices, long trustRootVersion, List<String> staging) {

    static GatewaySnapshot take(BundleContext context, GatewayContainer gateway, GatewayFixture f) throws Exception {
        Map<String, String> bundles = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            bundles.put(String.valueOf(b.getSymbolicName()), b.getBundleId() + " " + b.getVersion() + " "
                    + stateName(b.getState()) + " " + b.getLastModified());
        }
        Map<String, String> components = new TreeMap<>();
        ServiceComponentRuntime scr = gateway.service(ServiceComponentRuntime.class);
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            List<String> states = new ArrayList<>();
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                states.add(isSatisfied(c.state) ? "satisfied" : "state " + c.state);
            }
            components.put(d.bundle.symbolicName + "/" + d.name, states.isEmpty() ? "no configuration" : states.toString());
        }
        Map<String, String> counters = new TreeMap<>();
        MonotonicCounter counter = gateway.service(MonotonicCounter.class);
        Path counterFile = dataDir(context, gateway, "io.gantry.rollback").resolve("counters.properties");
        for (String name : properties(counterFile).stringPropertyNames()) {
            counters.put(name, Long.toString(counter.read(name)));
        }
        Map<String, String> trusted = new TreeMap<>();
        digest(trusted, f.trustRootFile());
        digest(trusted, TrustRootFiles.signaturesOf(f.trustRootFile()));
        digestTree(trusted, dataDir(context, gateway, "io.gantry.verifier").resolve("trust-root"));
        digestTree(trusted, f.home().resolve("identity"));
        digestTree(trusted, dataDir(context, gateway, "io.gantry.rollback").resolve("slots"), "current.jar");
        Map<String, String> devices = new TreeMap<>();
        Path sensors = f.home().resolve("sensors");
        if (Files.isDirectory(sensors)) {
            for (Path dir : list(sensors)) {
                Properties boot = properties(dir.resolve("boot.properties"));
                String id = dir.getFileName().toString();
                devices.put(id + "/boot", new TreeMap<>(boot).toString());
                devices.put(id + "/files", list(dir).stream().map(p -> p.getFileName().toString()).toList().toString());
                Path active = dir.resolve("slot-" + boot.getProperty("active", "a") + ".img");
                devices.put(id + "/active image", Files.exists(active) ? sha256(active) : "none");
            }
        }
        List<String> staging = list(dataDir(context, gateway, "io.gantry.verifier").resolve("staging")).stream()
                .map(p -> p.getFileName().toString()).toList();
        return new GatewaySnapshot(bundles, components, counters, trusted, devices,
                gateway.service(ReleaseVerifier.class).trustRootVersion(), staging);
    }

    /** @return one line per difference between this snapshot and {@code after} */
    List<String> differences(GatewaySnapshot after) {
        List<String> out = new ArrayList<>();
        diff(out, "bundle", bundles, after.bundles);
        diff(out, "component", components, after.components);
        diff(out, "counter", counters, after.counters);
        diff(out, "trusted file", trusted, after.trusted);
        diff(out, "device", devices, after.devices);
        if (trustRootVersion != after.trustRootVersion) {
            out.add("trust root version " + trustRootVersion + " -> " + after.trustRootVersion);
        }
        if (!after.staging.isEmpty()) {
            out.add("staging not empty: " + after.staging);
        }
        return out;
    }

    /**
     * The framework's private data folder of a bundle (Felix: {@code <storage>/bundle<id>/data}),
     * read from outside that bundle, as an attacker with file access would.
     */
    static Path dataDir(BundleContext context, GatewayContainer gateway, String bsn) {
        String storage = context.getProperty("org.osgi.framework.storage");
        Path root = Path.of(storage != null ? storage : "felix-cache");
        return root.resolve("bundle" + gateway.bundle(bsn).getBundleId()).resolve("data");
    }

    static boolean isSatisfied(int state) {
        return state == ComponentConfigurationDTO.SATISFIED || state == ComponentConfigurationDTO.ACTIVE;
    }

    private static void diff(List<String> out, String what, Map<String, String> before, Map<String, String> after) {
        TreeMap<String, String> keys = new TreeMap<>(before);
        keys.putAll(after);
        for (String k : keys.keySet()) {
            String b = before.get(k);
            String a = after.get(k);
            if (b == null ? a != null : !b.equals(a)) {
                out.add(what + " " + k + ": " + b + " -> " + a);
            }
        }
    }

    private static void digest(Map<String, String> out, Path file) throws IOException {
        out.put(file.toString(), Files.exists(file) ? sha256(file) : "absent");
    }

    private static void digestTree(Map<String, String> out, Path dir, String... onlyNames) throws IOException {
        if (!Files.isDirectory(dir)) {
            out.put(dir.toString(), "absent");
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                if (onlyNames.length == 0 || List.of(onlyNames).contains(p.getFileName().toString())) {
                    digest(out, p);
                }
            }
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        return p;
    }

    static String sha256(Path file) throws IOException {
        var md = PayloadCheck.sha256();
        md.update(Files.readAllBytes(file));
        return HexFormat.of().formatHex(md.digest());
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            default -> "state " + state;
        };
    }
}
