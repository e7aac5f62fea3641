package io.gantry.backend.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Path compat;
    /** Content is immutable under its digest, so its compatibility digests never change either. */
    private final Map<String, CompatDigests> compatCache = new ConcurrentHashMap<>();

    private ArtifactStore(Path root) {
        this.byHash = root.resolve("sha256");
        this.staging = root.resolve("tmp");
        this.compat = root.resolve("compat");
    }

    /** Opens the store in {@code root}, creating it and discarding staged files a crash left behind, judged by the system clock. */
    public static ArtifactStore open(Path root) throws IOException {
        return open(root, java.time.Clock.systemUTC());
    }

    /**
     * Opens the store in {@code root}, creating it and discarding staged files a crash left behind
     * ({@link Leftovers}: another node sharing the store may be staging right now).
     */
    public static ArtifactStore open(Path root, java.time.Clock clock) throws IOException {
        ArtifactStore s = new ArtifactStore(root.toAbsolutePath());
        Files.createDirectories(s.byHash);
        Files.createDirectories(s.staging);
        Files.createDirectories(s.compat);
        Leftovers.deleteAbandoned(s.staging, clock.instant());
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
        compatDigests(sha256);
    }

    /**
     * The SHA-1 and MD5 of stored content, which hawkBit DDI clients require beside SHA-256
     * (SWUpdate's suricatta refuses an artifact without {@code hashes.sha1}). Compatibility fields
     * only: nothing in Gantry's trust rests on them. Computed once, at commit or on first use for
     * content stored before, and kept in {@code <root>/compat/<sha256>}.
     *
     * @throws IOException if the content is missing or unreadable
     */
    public CompatDigests compatDigests(String sha256) throws IOException {
        CompatDigests known = compatCache.get(sha256);
        if (known != null) {
            return known;
        }
        Path sidecar = compat.resolve(path(sha256).getFileName());
        CompatDigests d;
        if (Files.exists(sidecar)) {
            d = CompatDigests.parse(Files.readString(sidecar, StandardCharsets.US_ASCII));
        } else {
            try (InputStream in = Files.newInputStream(path(sha256))) {
                d = CompatDigests.of(in);
            }
            Path tmp = Files.createTempFile(staging, "compat", ".part");
            Files.writeString(tmp, d.format(), StandardCharsets.US_ASCII);
            Files.move(tmp, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        compatCache.put(sha256, d);
        return d;
    }

    /** @return where the content with this digest lives */
    public Path path(String sha256) {
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256");
        }
        return byHash.resolve(sha256);
    }
}
