package io.gantry.it;

import io.gantry.api.release.ReleaseKind;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ArchiveSigning;
import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A gateway home for pax-exam: a release-signing key, the trust folder holding its public key, and
 * FileInstall configurations for the verifier and the Acme plugin. Created outside the framework in
 * {@code @Configuration}; found again inside it through a system property.
 */
final class GatewayFixture {
    static final String HOME_PROPERTY = "gantry.it.home";
    private final Path home;

    private GatewayFixture(Path home) {
        this.home = home;
    }

    static GatewayFixture create() throws Exception {
        Path home = Files.createTempDirectory("gantry-it-");
        Path trust = Files.createDirectories(home.resolve("trust"));
        Path conf = Files.createDirectories(home.resolve("conf"));
        KeyPair signer = newKey();
        PemFiles.writePublicKey(trust.resolve("release-signer.pem"), signer.getPublic());
        Files.write(home.resolve("signer.pk8"), signer.getPrivate().getEncoded());
        Files.writeString(conf.resolve("io.gantry.verifier.config"), "trustDir=\"" + trust + "\"\n");
        Files.writeString(conf.resolve("com.acme.gantry.sensor.config"),
                "devicesDir=\"" + home.resolve("sensors") + "\"\ndeviceIds=[\"sensor-1\"]\n");
        return new GatewayFixture(home);
    }

    static GatewayFixture fromSystemProperty() {
        return new GatewayFixture(Path.of(System.getProperty(HOME_PROPERTY)));
    }

    static KeyPair newKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    Path home() {
        return home;
    }

    Path conf() {
        return home.resolve("conf");
    }

    KeyPair signer() throws Exception {
        byte[] pk8 = Files.readAllBytes(home.resolve("signer.pk8"));
        return new KeyPair(PemFiles.readPublicKey(home.resolve("trust/release-signer.pem")),
                KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pk8)));
    }

    Path file(String text) throws IOException {
        return Files.writeString(Files.createTempFile(home, "payload", ".bin"), text);
    }

    Path release(String name, String version, ReleaseKind kind, String target, String payloadName, Path payload,
            KeyPair key) throws Exception {
        Path archive = Files.createTempFile(home, name + "-" + version, ".gantry");
        ReleaseBuilder.buildUnsigned(archive, name, version, kind, target, "integration test",
                Instant.now(), Map.of(payloadName, payload));
        ArchiveSigning.addSignature(archive, archive, key.getPrivate(), key.getPublic());
        return archive;
    }

    Path firmwareRelease(String version, KeyPair key) throws Exception {
        return release("acme-sensor-fw", version, ReleaseKind.FIRMWARE, "acme-sensor", "sensor.img",
                file("ACME-FW " + version + "\nfirmware body\n"), key);
    }

    Path bundleRelease(String bsn, String version, Path jar, KeyPair key) throws Exception {
        return release(bsn, version, ReleaseKind.BUNDLE, "gantry-gateway", bsn + ".jar", jar, key);
    }

    Path pluginRelease(String version, KeyPair key) throws Exception {
        return bundleRelease("com.acme.gantry.sensor", version, pluginJar(version), key);
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
