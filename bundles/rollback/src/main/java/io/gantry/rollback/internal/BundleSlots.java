package io.gantry.rollback.internal;

import io.gantry.api.rollback.InstallFailedException;
import io.gantry.api.rollback.InstallFailureCode;
import io.gantry.api.verify.VerifiedPayload;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.osgi.framework.Bundle;

/**
 * Per-bundle slot files in the rollback bundle's data area: {@code <bsn>/current.jar} holds the
 * committed version, {@code <bsn>/previous.jar} the version an update in progress would revert to.
 * Files are replaced by rename, so a crash never leaves a half-written slot.
 */
final class BundleSlots {
    private static final System.Logger LOG = System.getLogger(BundleSlots.class.getName());
    private final Path root;

    BundleSlots(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    /**
     * Saves the running jar as the previous slot: the committed copy if there is one, else the
     * file the bundle was first installed from.
     *
     * @throws InstallFailedException if no copy of the running version can be found: without a way
     *     back the update is refused
     */
    Path keepPrevious(Bundle running) throws InstallFailedException {
        Path dir = dir(running.getSymbolicName());
        Path current = dir.resolve("current.jar");
        Path previous = dir.resolve("previous.jar");
        try {
            Files.createDirectories(dir);
            if (Files.exists(current)) {
                copyAtomically(Files.newInputStream(current), previous);
            } else if (running.getLocation().startsWith("file:")) {
                copyAtomically(Files.newInputStream(Path.of(URI.create(running.getLocation()))), previous);
            } else {
                throw new IOException("no copy of the running jar at " + running.getLocation());
            }
            requireVersion(previous, running);
            return previous;
        } catch (IOException | IllegalArgumentException e) {
            throw new InstallFailedException(InstallFailureCode.INSTALL_FAILED, "cannot keep the running version of "
                    + running.getSymbolicName() + " for rollback: " + e.getMessage(), false, e);
        }
    }

    /** Records the verified payload as the committed version. */
    void commit(String symbolicName, VerifiedPayload payload) {
        Path dir = dir(symbolicName);
        try {
            Files.createDirectories(dir);
            copyAtomically(payload.open(), dir.resolve("current.jar"));
            Files.deleteIfExists(dir.resolve("previous.jar"));
        } catch (IOException e) {
            // The update is live and stays live. The next update will find no copy of this version
            // (keepPrevious checks the version) and refuse rather than revert to an older one.
            LOG.log(System.Logger.Level.WARNING, "could not keep a copy of {0}: {1}", symbolicName, e.toString());
        }
    }

    /** A revert must restore exactly the running version; any other copy is no way back. */
    private static void requireVersion(Path jar, Bundle running) throws IOException {
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            String v = j.getManifest() == null ? null : j.getManifest().getMainAttributes().getValue("Bundle-Version");
            if (v == null || !org.osgi.framework.Version.parseVersion(v.trim()).equals(running.getVersion())) {
                throw new IOException("the kept copy is version " + v + ", not the running " + running.getVersion());
            }
        }
    }

    private Path dir(String symbolicName) {
        return root.resolve(symbolicName.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    private static void copyAtomically(InputStream in, Path target) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".slot", ".tmp");
        try (in) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
