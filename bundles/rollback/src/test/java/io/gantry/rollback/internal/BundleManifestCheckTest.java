package io.gantry.rollback.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.rollback.InstallFailedException;
import io.gantry.api.verify.VerifiedPayload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

class BundleManifestCheckTest {

    @Test
    void acceptsTheSignedNameAndVersionReadToTheEnd() {
        assertDoesNotThrow(() -> BundleManifestCheck.requireMatches(payload(jar("b", "1.2.0"), false), "b",
                Version.parseVersion("1.2.0")));
    }

    @Test
    void refusesAnotherBundle() {
        assertThrows(InstallFailedException.class, () -> BundleManifestCheck.requireMatches(
                payload(jar("other", "1.2.0"), false), "b", Version.parseVersion("1.2.0")));
    }

    @Test
    void stagedBytesChangedBehindTheManifestFailBeforeTheBundleIsTouched() {
        // The manifest is genuine; only the end-of-stream re-check shows the bytes changed.
        InstallFailedException e = assertThrows(InstallFailedException.class, () -> BundleManifestCheck.requireMatches(
                payload(jar("b", "1.2.0"), true), "b", Version.parseVersion("1.2.0")));
        assertTrue(e.getMessage().contains("changed after verification"), e.getMessage());
    }

    /**
     * Two manifests: the first local entry names bundle "b" (what a streaming reader sees), the
     * central directory names only the second, bundle "evil" (what Felix installs). Refused as
     * disagreeing indexes; the old stream-based check accepted it as "b".
     */
    @Test
    void refusesJarWhoseCentralDirectoryNamesAnotherManifest() {
        CraftedZip zip = new CraftedZip();
        zip.add("META-INF/MANIFEST.MF", manifest("b", "1.2.0"));
        int evil = zip.add("META-INF/MANIFEST.MF", manifest("evil", "1.2.0"));
        byte[] jar = zip.finish(evil);
        InstallFailedException e = assertThrows(InstallFailedException.class,
                () -> BundleManifestCheck.requireMatches(payload(jar, false), "b", Version.parseVersion("1.2.0")));
        assertTrue(e.getMessage().contains("twice") || e.getMessage().contains("disagrees"), e.getMessage());
    }

    @Test
    void refusesJarWithAnEntryOnlyTheLocalHeadersList() {
        CraftedZip zip = new CraftedZip();
        int mf = zip.add("META-INF/MANIFEST.MF", manifest("b", "1.2.0"));
        zip.add("hidden/Payload.class", new byte[] {1, 2, 3});
        byte[] jar = zip.finish(mf);
        InstallFailedException e = assertThrows(InstallFailedException.class,
                () -> BundleManifestCheck.requireMatches(payload(jar, false), "b", Version.parseVersion("1.2.0")));
        assertTrue(e.getMessage().contains("disagrees"), e.getMessage());
    }

    @Test
    void acceptsAConsistentHandMadeJar() {
        CraftedZip zip = new CraftedZip();
        int mf = zip.add("META-INF/MANIFEST.MF", manifest("b", "1.2.0"));
        int data = zip.add("data.bin", new byte[] {1, 2, 3});
        byte[] jar = zip.finish(mf, data);
        assertDoesNotThrow(() -> BundleManifestCheck.requireMatches(payload(jar, false), "b", Version.parseVersion("1.2.0")));
    }

    private static byte[] manifest(String bsn, String version) {
        return ("Manifest-Version: 1.0\r\nBundle-SymbolicName: " + bsn + "\r\nBundle-Version: " + version + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] jar(String bsn, String version) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        mf.getMainAttributes().putValue("Bundle-Version", version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
            out.putNextEntry(new JarEntry("data.bin"));
            byte[] incompressible = new byte[100_000];
            new java.util.Random(1).nextBytes(incompressible);
            out.write(incompressible);
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** A staged payload; if {@code changed}, its stream fails at the end as the verifier's re-check does. */
    private static VerifiedPayload payload(byte[] jar, boolean changed) {
        return new VerifiedPayload() {
            @Override
            public PayloadInfo info() {
                return new PayloadInfo("b.jar", "0".repeat(64), jar.length);
            }

            @Override
            public InputStream open() {
                return new FilterInputStream(new ByteArrayInputStream(jar)) {
                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        int n = read(one, 0, 1);
                        return n < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n < 0 && changed) {
                            throw new IOException("staged payload b.jar changed after verification");
                        }
                        return n;
                    }
                };
            }
        };
    }
}
