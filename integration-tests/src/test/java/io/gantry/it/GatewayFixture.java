package io.gantry.it;

import io.gantry.api.release.ReleaseKind;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.testing.TestReleases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A gateway home for pax-exam: named signing keys, a two-person trust root signed by two root keys, and
 * FileInstall configurations for the verifier and the Acme plugin. Created outside the framework in
 * {@code @Configuration}; found again inside it through a system property.
 */
final class GatewayFixture {
    static final String HOME_PROPERTY = "gantry.it.home";
    private final Path home;
    /**
     * Static like the gateway it mirrors: the test methods of one class share one gateway (and its
     * counters) in one JVM, but not one fixture instance.
     */
    private static long firmwareCounter = 1;

    private GatewayFixture(Path home) {
        this.home = home;
    }

    /** Every key the fixture's trust root names. */
    static final List<String> KEY_NAMES = List.of("root1", "root2", "alice", "bob", "carol", "acme1", "acme2");

    static GatewayFixture create() throws Exception {
        Path home = Files.createTempDirectory("gantry-it-");
        Path keys = Files.createDirectories(home.resolve("keys"));
        Path conf = Files.createDirectories(home.resolve("conf"));
        GatewayFixture f = new GatewayFixture(home);
        for (String name : KEY_NAMES) {
            KeyPair k = TestReleases.newKey();
            PemFiles.writePublicKey(keys.resolve(name + ".pem"), k.getPublic());
            Files.write(keys.resolve(name + ".pk8"), k.getPrivate().getEncoded());
        }
        byte[] root = TrustRootJson.write(f.trustRoot(1, "alice", "bob"));
        TrustRootFiles.write(f.trustRootFile(), root, List.of(f.sign(root, "root1"), f.sign(root, "root2")));
        Files.writeString(conf.resolve("io.gantry.verifier.config"),
                "trustRootPath=\"" + f.trustRootFile() + "\"\nminimumThreshold=I\"2\"\n");
        Files.writeString(conf.resolve("com.acme.gantry.sensor.config"),
                "devicesDir=\"" + home.resolve("sensors") + "\"\ndeviceIds=[\"sensor-1\"]\ntrustRootPath=\""
                        + f.trustRootFile() + "\"\n");
        return f;
    }

    /**
     * Root role root1+root2 (2 of 2); release roles for majors 0, 1, 2 and 99 held by the two named
     * release managers (2 of 2); vendor acme (acme1+acme2) for its sensor firmware and plugin bundle.
     */
    TrustRoot trustRoot(long version, String releaseManager1, String releaseManager2) throws Exception {
        return trustRoot(version, List.of(releaseManager1, releaseManager2), List.of());
    }

    /** As {@link #trustRoot(long, String, String)}, with any release managers (2 of them) and revoked keys. */
    TrustRoot trustRoot(long version, List<String> releaseManagers, List<String> revoked) throws Exception {
        TrustRootBuilder b = new TrustRootBuilder(version, Instant.now().plusSeconds(86400 * 365));
        for (String name : KEY_NAMES) {
            b.key(name, PemFiles.readPublicKey(home.resolve("keys/" + name + ".pem")));
        }
        b.root(2, "root1", "root2");
        for (int major : new int[] {0, 1, 2, 99}) {
            b.releases(major, 2, releaseManagers.toArray(new String[0]));
        }
        revoked.forEach(b::revoke);
        return b.vendor("acme", 2, Set.of("acme-sensor"), Set.of("com.acme.gantry.sensor"), "acme1", "acme2").build();
    }

    /** The FileInstall folder with the verifier's and the Acme plugin's configuration. */
    Path confDir() {
        return home.resolve("conf");
    }

    Path trustRootFile() {
        return home.resolve("trust/trust-root.json");
    }

    KeyPair key(String name) throws Exception {
        byte[] pk8 = Files.readAllBytes(home.resolve("keys/" + name + ".pk8"));
        return new KeyPair(PemFiles.readPublicKey(home.resolve("keys/" + name + ".pem")),
                KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pk8)));
    }

    ReleaseSignature sign(byte[] data, String name) throws Exception {
        return TestReleases.sign(data, key(name));
    }

    /** @return a signature envelope over {@code data} by the named fixture keys */
    byte[] envelope(byte[] data, String... signers) throws Exception {
        return TestReleases.envelope(data, keys(signers));
    }

    /** @return the release builder of this home: archives and payload files go to {@code <home>/releases} */
    TestReleases releases() throws IOException {
        return new TestReleases(home.resolve("releases"));
    }

    static GatewayFixture fromSystemProperty() {
        return new GatewayFixture(Path.of(System.getProperty(HOME_PROPERTY)));
    }

    Path home() {
        return home;
    }

    Path conf() {
        return home.resolve("conf");
    }

    Path file(String text) throws IOException {
        return Files.writeString(Files.createTempFile(home, "payload", ".bin"), text);
    }

    Path release(String name, String version, ReleaseKind kind, String target, Map<String, Path> payloads,
            List<KeyPair> signers) throws Exception {
        Instant now = Instant.now();
        return release(name, version, kind, target, payloads, signers, now.minusSeconds(5), now.plusSeconds(86400),
                kind == ReleaseKind.FIRMWARE ? firmwareCounter : 1);
    }

    /**
     * The security counter genuine sensor firmware carries: firmware floors are per device type, so
     * once a test installed a higher counter, every later genuine firmware must carry it too.
     */
    static long firmwareCounter() {
        return firmwareCounter;
    }

    /** Raises the counter later genuine sensor firmware carries (never lowers it). */
    static void raiseFirmwareCounter(long counter) {
        firmwareCounter = Math.max(firmwareCounter, counter);
    }

    /** A release with an explicit build time, expiry and security counter, signed by {@code signers}. */
    Path release(String name, String version, ReleaseKind kind, String target, Map<String, Path> payloads,
            List<KeyPair> signers, Instant built, Instant expires, long securityCounter) throws Exception {
        return releases().release(name, version).kind(kind, target).builtBy("integration test").validity(built, expires)
                .securityCounter(securityCounter).payloads(payloads).signedBy(signers).build();
    }

    Path release(String name, String version, ReleaseKind kind, String target, String payloadName, Path payload,
            String... signers) throws Exception {
        List<KeyPair> keys = new ArrayList<>();
        for (String s : signers) {
            keys.add(key(s));
        }
        return release(name, version, kind, target, Map.of(payloadName, payload), keys);
    }

    /** @return the named fixture keys */
    List<KeyPair> keys(String... names) throws Exception {
        List<KeyPair> keys = new ArrayList<>();
        for (String s : names) {
            keys.add(key(s));
        }
        return keys;
    }

    /** @return an Acme image naming {@code version} in its header */
    Path firmwareImage(String version) throws IOException {
        return file("ACME-FW " + version + "\nfirmware body\n");
    }

    Path firmwareRelease(String version, String... signers) throws Exception {
        return release("acme-sensor-fw", version, ReleaseKind.FIRMWARE, "acme-sensor", "sensor.img",
                file("ACME-FW " + version + "\nfirmware body\n"), signers);
    }

    Path bundleRelease(String bsn, String version, Path jar, String... signers) throws Exception {
        return release(bsn, version, ReleaseKind.BUNDLE, "gantry-gateway", bsn + ".jar", jar, signers);
    }

    Path pluginRelease(String version, String... signers) throws Exception {
        return bundleRelease("com.acme.gantry.sensor", version, pluginJar(version), signers);
    }

    /** A TRUST_ROOT release carrying {@code root} signed by the named root keys, itself signed by them. */
    Path trustRootRelease(TrustRoot root, String... rootSigners) throws Exception {
        return trustRootRelease(TrustRootJson.write(root), root.version(), rootSigners);
    }

    /**
     * A TRUST_ROOT release carrying exactly {@code rootJson} (version {@code version}), the root
     * document and the release both signed by {@code rootSigners}.
     */
    Path trustRootRelease(byte[] rootJson, long version, String... rootSigners) throws Exception {
        Map<String, Path> payloads = new LinkedHashMap<>();
        payloads.put("trust-root.json", Files.write(Files.createTempFile(home, "root", ".json"), rootJson));
        payloads.put("trust-root.sigs.json", Files.write(Files.createTempFile(home, "root", ".sigs.json"),
                envelope(rootJson, rootSigners)));
        return release("trust-root", version + ".0.0", ReleaseKind.TRUST_ROOT, "gantry-gateway", payloads, keys(rootSigners));
    }

    /** The distribution's Acme plugin jar with its Bundle-Version set to {@code version}. */
    Path pluginJar(String version) throws IOException {
        Path dist = Path.of(System.getProperty("gantry.gateway.dist"), "bundle");
        Path original;
        try (var s = Files.list(dist)) {
            original = s.filter(p -> p.getFileName().toString().startsWith("gantry-device-acme")).findFirst().orElseThrow();
        }
        Path out = Files.createTempFile(home, "plugin-" + version, ".jar");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(original))) {
            Manifest mf = new Manifest(in.getManifest());
            mf.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (OutputStream os = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(os, mf)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                    jar.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return out;
    }

    /** A copy of {@code archive} with the same signed metadata but other payload bytes. */
    Path withPayloadReplaced(Path archive, String newPayload) throws Exception {
        Path out = Files.createTempFile(home, "tampered", ".gantry");
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            String name = src.payloadNames().get(0);
            ReleaseArchive.write(out, src.metadata(), src.signatures(), Map.of(name, file(newPayload)));
        }
        return out;
    }

    /** @return a firmware version newer than what sensor-1 runs now */
    String nextFirmwareVersion() throws IOException {
        String[] v = sensorState("sensor-1").getProperty("version", "1.0.0").split("\\.");
        return v[0] + "." + (Integer.parseInt(v[1]) + 1) + ".0";
    }

    Properties sensorState(String id) throws IOException {
        Properties p = new Properties();
        Path f = home.resolve("sensors").resolve(id).resolve("boot.properties");
        if (Files.exists(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            }
        }
        return p;
    }

}
