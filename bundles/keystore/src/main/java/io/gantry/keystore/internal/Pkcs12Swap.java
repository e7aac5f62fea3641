package io.gantry.keystore.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * Replaces the PKCS#12 file so that a crash at any instant leaves a loadable identity: the new
 * store is written beside the file and fsynced, the current file is kept as {@code <file>.previous},
 * then one atomic rename puts the new store in place and the directory is fsynced. Before the
 * rename the old file is untouched; after it the new file is complete. A leftover
 * {@code <file>.renewing} from a crash is never read and is removed at the next activation.
 *
 * <p>Each step is a method so that tests can stop between steps, as a crash would.
 */
class Pkcs12Swap {
    private final Path file;

    Pkcs12Swap(Path file) {
        this.file = file.toAbsolutePath();
    }

    Path temp() {
        return file.resolveSibling(file.getFileName() + ".renewing");
    }

    Path previous() {
        return file.resolveSibling(file.getFileName() + ".previous");
    }

    /** Runs every step; on failure the temp file is removed and the current file is as before. */
    final void replace(KeyStore store, char[] password) throws IOException, GeneralSecurityException {
        Path temp = writeTemp(store, password);
        try {
            keepPrevious();
            rename(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Removes a temp file left by a crash. */
    final void discardLeftover() throws IOException {
        Files.deleteIfExists(temp());
    }

    /** Step 1: the new store, durable, under the temp name. */
    Path writeTemp(KeyStore store, char[] password) throws IOException, GeneralSecurityException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, password);
        Path temp = temp();
        write(temp, bytes.toByteArray());
        return temp;
    }

    /** Step 2: a durable copy of the current file as {@code .previous} (itself replaced atomically). */
    void keepPrevious() throws IOException {
        Path staging = file.resolveSibling(file.getFileName() + ".previous.renewing");
        write(staging, Files.readAllBytes(file));
        Files.move(staging, previous(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Step 3: the atomic switch, then the directory entry made durable. */
    void rename(Path temp) throws IOException {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    private static void write(Path target, byte[] content) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ownerOnly(target);
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    private static void ownerOnly(Path target) throws IOException {
        try {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the file keeps the directory's default permissions.
        }
    }

    private void syncDirectory() throws IOException {
        // Makes the rename itself durable (POSIX: fsync on the directory); some file systems refuse.
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // The rename is done and atomic regardless (the caller must not report a failure now);
            // only its durability across power loss is weaker on such a file system.
        }
    }
}
