package io.gantry.testing.fleet;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.release.ArchiveSigning;
import io.gantry.release.ReleaseBuilder;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/** Builds and signs the releases the demo and the end-to-end tests publish. */
public final class ReleaseFixture {
    /** Symbolic name of the gateway bundle the demo updates in place. */
    public static final String PLUGIN_BSN = "com.acme.gantry.sensor";
    /** Device type of the simulated sensors. */
    public static final String SENSOR_TYPE = "acme-sensor";

    private final Path dir;
    private final List<KeyPair> signers;
    private final String builtBy;
    private final Clock clock;

    /**
     * @param signers the keys that sign every release built here (the two-person rule needs two)
     * @param builtBy the release manager named in the metadata
     */
    public ReleaseFixture(Path dir, List<KeyPair> signers, String builtBy, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.signers = List.copyOf(signers);
        this.builtBy = builtBy;
        this.clock = clock;
    }

    /** @return the Acme plugin jar in a gateway distribution */
    public static Path pluginJar(Path distribution) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(distribution.resolve("bundle"), "gantry-device-acme-*.jar")) {
            for (Path p : ds) {
                return p;
            }
        }
        throw new IOException("no Acme plugin jar in " + distribution);
    }

    /** @return the plugin's version with the minor part raised by {@code steps} */
    public static String nextMinor(Path jar, int steps) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String[] v = j.getManifest().getMainAttributes().getValue("Bundle-Version").trim().split("\\.");
            return Integer.parseInt(v[0]) + "." + (Integer.parseInt(v.length > 1 ? v[1] : "0") + steps) + ".0";
        }
    }

    /** A signed release of the plugin bundle at {@code version}. */
    public Path pluginRelease(Path distribution, String version) throws IOException, GeneralSecurityException {
        Path archive = unsignedPluginRelease(distribution, version);
        for (KeyPair k : signers) {
            sign(archive, k);
        }
        return archive;
    }

    /** A signed Acme sensor firmware image at {@code version}. */
    public Path firmwareRelease(String version) throws IOException, GeneralSecurityException {
        Path image = Files.writeString(dir.resolve("sensor-" + version + ".img"),
                "ACME-FW " + version + "\nsimulated sensor firmware " + version + "\n");
        return signed("acme-sensor-fw", version, ReleaseKind.FIRMWARE, SENSOR_TYPE, "sensor.img", image);
    }

    /** Builds one release archive and signs it with every signer. */
    public Path signed(String name, String version, ReleaseKind kind, String target, String payloadName, Path payload)
            throws IOException, GeneralSecurityException {
        Path archive = unsigned(name, version, kind, target, payloadName, payload);
        for (KeyPair k : signers) {
            sign(archive, k);
        }
        return archive;
    }

    /** Builds one release archive without signatures (security counter 1, valid for 30 days). */
    public Path unsigned(String name, String version, ReleaseKind kind, String target, String payloadName, Path payload)
            throws IOException {
        Path archive = dir.resolve(name + "-" + version + ".gantry");
        Instant now = clock.instant();
        ReleaseBuilder.buildUnsigned(archive, name, version, kind, target, builtBy, now, now.plus(Duration.ofDays(30)), 1,
                Map.of(payloadName, payload));
        return archive;
    }

    /** Adds one signer's signature, as that person would on their own machine. */
    public static void sign(Path archive, KeyPair key) throws IOException, GeneralSecurityException {
        try {
            ArchiveSigning.addSignature(archive, archive, key.getPrivate(), key.getPublic());
        } catch (MalformedReleaseException e) {
            throw new IOException("archive unreadable: " + e.getMessage(), e);
        }
    }

    /** @return the unsigned plugin release at {@code version} */
    public Path unsignedPluginRelease(Path distribution, String version) throws IOException {
        Path jar = BundleRevision.withVersion(pluginJar(distribution), version, dir.resolve(PLUGIN_BSN + "-" + version + ".jar"));
        return unsigned(PLUGIN_BSN, version, ReleaseKind.BUNDLE, ReleaseMetadata.GATEWAY_TARGET, PLUGIN_BSN + ".jar", jar);
    }
}
