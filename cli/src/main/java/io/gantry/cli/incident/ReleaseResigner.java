package io.gantry.cli.incident;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ArchiveSigning;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Makes the re-signed successor of a release: the same name, kind, target, security counter and
 * payload bytes, a new version (the old one plus a qualifier, so anti-rollback floors, which
 * ignore qualifiers, accept it and nothing newer is overtaken), a fresh build time and expiry, and
 * signatures by the fresh keys only. A bundle's jar gets the new {@code Bundle-Version} (the
 * release version must equal it); nothing else in the jar changes.
 */
final class ReleaseResigner {
    private ReleaseResigner() {
    }

    /** @return {@code version} with {@code qualifier} appended (after the old qualifier and a dash, if it had one) */
    static String resignedVersion(String version, String qualifier) {
        String[] p = version.split("\\.", 4);
        return p.length == 4 ? version + "-" + qualifier : version + "." + qualifier;
    }

    /**
     * @param original the release archive as stored
     * @param work a folder for the payloads and the result
     * @param signers the fresh keys (a threshold of the role that now signs the release)
     * @return the signed archive of the successor
     */
    static Path resign(Path original, String newVersion, Path work, List<KeyPair> signers, String builtBy, Instant now,
            Duration validity) throws Exception {
        Files.createDirectories(work);
        ReleaseMetadata m;
        Map<String, Path> payloads = new LinkedHashMap<>();
        try (ArchiveReleaseSource src = ReleaseArchive.open(original)) {
            m = MetadataJson.parse(src.metadata());
            for (PayloadInfo p : m.payloads()) {
                Path file = work.resolve("payload-" + payloads.size());
                try (InputStream in = src.openPayload(p.name())) {
                    Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                if (m.kind() == ReleaseKind.BUNDLE && p.name().endsWith(".jar")) {
                    Path rewritten = work.resolve("payload-" + payloads.size() + "-resigned.jar");
                    withBundleVersion(file, rewritten, newVersion);
                    file = rewritten;
                }
                payloads.put(p.name(), file);
            }
        }
        Path unsigned = work.resolve(m.name() + "-" + newVersion + ".unsigned.gantry");
        ReleaseBuilder.buildUnsigned(unsigned, m.name(), newVersion, m.kind(), m.target(), builtBy, now, now.plus(validity),
                m.securityCounter(), payloads);
        Path signed = work.resolve(m.name() + "-" + newVersion + ".gantry");
        Path in = unsigned;
        for (KeyPair k : signers) {
            ArchiveSigning.addSignature(in, signed, k.getPrivate(), k.getPublic());
            in = signed;
        }
        return signed;
    }

    /** Copies a bundle jar with its manifest's {@code Bundle-Version} set to {@code version}. */
    static void withBundleVersion(Path jar, Path out, String version) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            if (manifest == null || manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                throw new IOException(jar + " is not an OSGi bundle (no Bundle-SymbolicName)");
            }
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (OutputStream os = Files.newOutputStream(out); JarOutputStream jout = new JarOutputStream(os, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    jout.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(jout);
                    jout.closeEntry();
                }
            }
        }
    }
}
