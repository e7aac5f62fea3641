package io.gantry.cli.incident;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ThresholdNotMetException;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseAuthorization;
import io.gantry.release.ReleaseBuilder;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootBuilder;
import io.gantry.testing.TestReleases;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-signing: a new version signed by the fresh keys only, the payload bytes unchanged (a bundle's manifest aside). */
class ReleaseResignerTest {
    @TempDir
    Path tmp;
    final KeyPair alice = TestReleases.newKey();
    final KeyPair bob = TestReleases.newKey();
    final KeyPair carol = TestReleases.newKey();
    final KeyPair dave = TestReleases.newKey();

    private TrustRoot rotated(Instant now) {
        return new TrustRootBuilder(2, now.plus(Duration.ofDays(30))).key("root", TestReleases.newKey().getPublic())
                .key("root2", TestReleases.newKey().getPublic()).key("alice", alice.getPublic()).key("bob", bob.getPublic())
                .key("carol", carol.getPublic()).key("dave", dave.getPublic()).root(2, "root", "root2")
                .releases(1, 2, "alice", "bob", "carol", "dave").revoke("alice").build();
    }

    @Test
    void theVersionKeepsItsAntiRollbackOrdinalAndGainsAQualifier() {
        assertEquals("1.2.3.resigned", ReleaseResigner.resignedVersion("1.2.3", "resigned"));
        assertEquals("1.2.3.beta-resigned", ReleaseResigner.resignedVersion("1.2.3.beta", "resigned"));
    }

    @Test
    void aFirmwareReleaseIsReSignedByTheFreshKeysWithTheSamePayload() throws Exception {
        Instant now = Instant.now();
        Path fw = Files.write(tmp.resolve("fw.bin"), TestReleases.payloadBytes("fw", 300));
        Path original = tmp.resolve("fw.gantry");
        ReleaseBuilder.buildUnsigned(original, "fw", "1.0.0", ReleaseKind.FIRMWARE, "acme-sensor", "rm", now.minusSeconds(60),
                now.plus(Duration.ofDays(9)), 7, Map.of("fw.bin", fw));
        Path signed = ReleaseResigner.resign(original, "1.0.0.resigned", tmp.resolve("work"), List.of(carol, dave), "ir", now,
                Duration.ofDays(30));
        try (ArchiveReleaseSource src = ReleaseArchive.open(signed)) {
            ReleaseMetadata m = MetadataJson.parse(src.metadata());
            assertEquals("1.0.0.resigned", m.version());
            assertEquals(7, m.securityCounter());
            ReleaseAuthorization.authorize(m, src.metadata(), SignatureEnvelope.parse(src.signatures()), rotated(now), now);
            try (InputStream in = src.openPayload("fw.bin")) {
                assertArrayEquals(Files.readAllBytes(fw), in.readAllBytes());
            }
        }
        // Signed by one fresh key only, the rotated root's threshold is not met.
        Path lone = ReleaseResigner.resign(original, "1.0.0.lone", tmp.resolve("work2"), List.of(carol), "ir", now,
                Duration.ofDays(30));
        try (ArchiveReleaseSource src = ReleaseArchive.open(lone)) {
            assertThrows(ThresholdNotMetException.class, () -> ReleaseAuthorization.authorize(MetadataJson.parse(src.metadata()),
                    src.metadata(), SignatureEnvelope.parse(src.signatures()), rotated(now), now));
        }
    }

    @Test
    void aBundleJarGetsTheNewBundleVersionAndKeepsItsEntries() throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", "com.acme.tool");
        mf.getMainAttributes().putValue("Bundle-Version", "1.0.0");
        Path jar = tmp.resolve("tool.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.putNextEntry(new JarEntry("com/acme/tool/Tool.class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
            out.closeEntry();
        }
        Path rewritten = tmp.resolve("tool-resigned.jar");
        ReleaseResigner.withBundleVersion(jar, rewritten, "1.0.0.resigned");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(rewritten))) {
            assertEquals("1.0.0.resigned", in.getManifest().getMainAttributes().getValue("Bundle-Version"));
            assertEquals("com.acme.tool", in.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
            assertEquals("com/acme/tool/Tool.class", in.getNextJarEntry().getName());
            assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE}, in.readAllBytes());
        }
        Path notABundle = tmp.resolve("plain.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(notABundle), new Manifest())) {
            out.putNextEntry(new JarEntry("x"));
            out.closeEntry();
        }
        assertThrows(java.io.IOException.class, () -> ReleaseResigner.withBundleVersion(notABundle, tmp.resolve("o.jar"), "2.0.0"));
    }
}
