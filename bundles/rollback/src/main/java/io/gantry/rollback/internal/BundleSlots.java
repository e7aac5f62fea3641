package io.gantry.rollback.internal;

import io.gantry.api.rollback.InstallFailedException;
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
            return previous;
        } catch (IOException | IllegalArgumentException e) {
            throw new InstallFailedException("INSTALL_FAILED", "cannot keep the running version of "
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
            // The update is live; without the copy the next update falls back to the install location.
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
