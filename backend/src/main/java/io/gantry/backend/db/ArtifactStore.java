package io.gantry.backend.db;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Content-addressed payload storage: {@code <root>/sha256/<hex>}. Bytes are staged in
 * {@code <root>/tmp} and moved into place only after the caller verified size and digest, so a
 * file under {@code sha256/} always holds exactly the bytes its name promises.
 */
public final class ArtifactStore {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private final Path byHash;
    private final Path staging;

    private ArtifactStore(Path root) {
        this.byHash = root.resolve("sha256");
        this.staging = root.resolve("tmp");
    }

    /** Opens the store in {@code root}, creating it and discarding staged files a crash left behind. */
    public static ArtifactStore open(Path root) throws IOException {
        ArtifactStore s = new ArtifactStore(root.toAbsolutePath());
        Files.createDirectories(s.byHash);
        Files.createDirectories(s.staging);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(s.staging)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
        return s;
    }

    /** @return a new, empty staging file; the caller deletes it if it does not {@link #commit} it */
    public Path stage() throws IOException {
        return Files.createTempFile(staging, "payload", ".part");
    }

    /**
     * Moves verified bytes into place under their digest; if the content is already stored the
     * staged copy is discarded.
     */
    public void commit(Path staged, String sha256) throws IOException {
        Path target = path(sha256);
        if (Files.exists(target)) {
            Files.delete(staged);
            return;
        }
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.delete(staged);
        }
    }

    /** @return where the content with this digest lives */
    public Path path(String sha256) {
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256");
        }
        return byHash.resolve(sha256);
    }
}
