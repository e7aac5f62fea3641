package io.gantry.coordinator.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarFile;

/** Copies jars into the coordinator's storage: whole or not at all, forced to disk, digest known. */
final class JarFiles {
    private JarFiles() {
    }

    /** Copies {@code from} to {@code to} atomically and returns the SHA-256 of what was written. */
    static String copy(InputStream from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Path tmp = Files.createTempFile(to.getParent(), ".copy", ".tmp");
        try (InputStream in = from; DigestInputStream din = new DigestInputStream(in, sha256());
                OutputStream out = Files.newOutputStream(tmp)) {
            din.transferTo(out);
            out.flush();
            String hex = HexFormat.of().formatHex(din.getMessageDigest().digest());
            Journal.force(tmp);
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return hex;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String sha256(Path file) throws IOException {
        try (DigestInputStream din = new DigestInputStream(Files.newInputStream(file), sha256())) {
            din.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(din.getMessageDigest().digest());
        }
    }

    /** @return the jar's Bundle-Version, or null when it has none */
    static String bundleVersion(Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            String v = j.getManifest() == null ? null : j.getManifest().getMainAttributes().getValue("Bundle-Version");
            return v == null ? null : org.osgi.framework.Version.parseVersion(v.trim()).toString();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
