package io.gantry.localddi.internal;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.verify.VerifiedPayload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The verifying artifact cache: each file is named by the SHA-256 its release signature covers,
 * and enters only through the verifier's re-checking stream ({@link VerifiedPayload#open()}). Every
 * serve hashes the file again from the open descriptor it then reads ({@link #open}), so bytes
 * changed on disk are refused, never sent. Limits: one artifact at most {@code artifactMaxBytes};
 * all at most {@code maxBytes}, the least recently used artifacts not on offer evicted first.
 */
final class ArtifactCache {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();
    private final Path dir;
    private final long maxBytes;
    private final long artifactMaxBytes;
    private final Clock clock;

    ArtifactCache(Path dir, long maxBytes, long artifactMaxBytes, Clock clock) throws IOException {
        if (maxBytes <= 0 || artifactMaxBytes <= 0 || artifactMaxBytes > maxBytes) {
            throw new IllegalArgumentException("cache limits must be positive and artifactMaxBytes <= cacheMaxBytes");
        }
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
        this.artifactMaxBytes = artifactMaxBytes;
        this.clock = clock;
    }

    /**
     * Puts a verified payload in the cache (or finds it there, checked again).
     *
     * @param pinned digests on offer to a device: never evicted to make room
     * @throws IOException if the payload exceeds a limit, cannot be written, or changed since
     *     verification (then the verifier's {@code PayloadChangedException})
     */
    synchronized CachedArtifact put(VerifiedPayload payload, Set<String> pinned) throws IOException {
        PayloadInfo info = payload.info();
        if (info.size() > artifactMaxBytes) {
            throw new IOException("artifact " + info.name() + " of " + info.size() + " bytes exceeds the cache's limit of "
                    + artifactMaxBytes + " bytes per artifact");
        }
        Path file = dir.resolve(info.sha256());
        if (Files.exists(file)) {
            try (Served served = open(info.sha256())) {
                return served.artifact();
            } catch (IOException e) {
                // A changed or half-gone entry is replaced by the verified bytes below.
                Files.deleteIfExists(file);
            }
        }
        makeRoom(info.size(), pinned);
        Path tmp = Files.createTempFile(dir, "incoming-", ".part");
        try {
            Digests d = new Digests();
            try (InputStream in = payload.open(); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            }
            CachedArtifact a = d.result(d.count);
            if (!a.sha256().equals(info.sha256()) || a.size() != info.size()) {
                throw new IOException("payload " + info.name() + " read " + a.size() + " bytes with SHA-256 " + a.sha256()
                        + ", not the signed " + info.size() + " bytes " + info.sha256());
            }
            writeHashes(a);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            touch(file);
            return a;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Opens an artifact for serving: the whole file is hashed from the descriptor that will serve
     * it and must still match its name and recorded size.
     *
     * @throws IOException if it is absent or its bytes changed
     */
    synchronized Served open(String sha256) throws IOException {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IOException("not an artifact digest: " + sha256);
        }
        Path file = dir.resolve(sha256);
        Properties hashes = readHashes(sha256);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            Digests d = new Digests();
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = 0;
            for (int n; (n = ch.read(buf, pos)) > 0; pos += n) {
                d.update(buf.array(), 0, n);
                buf.clear();
            }
            CachedArtifact a = d.result(pos);
            if (!a.sha256().equals(sha256) || !Long.toString(a.size()).equals(hashes.getProperty("size"))) {
                throw new IOException("cached artifact " + sha256 + " changed on disk (now " + a.size() + " bytes, SHA-256 "
                        + a.sha256() + "): refused");
            }
            touch(file);
            return new Served(a, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** @return bytes held by cached artifacts */
    synchronized long usedBytes() throws IOException {
        long total = 0;
        for (Path p : entries()) {
            total += Files.size(p);
        }
        return total;
    }

    private void makeRoom(long size, Set<String> pinned) throws IOException {
        List<Path> entries = entries();
        long used = 0;
        for (Path p : entries) {
            used += Files.size(p);
        }
        entries.sort(Comparator.comparing(ArtifactCache::lastUse));
        for (Path p : entries) {
            if (used + size <= maxBytes) {
                break;
            }
            String name = p.getFileName().toString();
            if (!pinned.contains(name)) {
                used -= Files.size(p);
                Files.deleteIfExists(p);
                Files.deleteIfExists(dir.resolve(name + ".hashes"));
            }
        }
        if (used + size > maxBytes) {
            throw new IOException("artifact cache full: " + used + " bytes on offer, " + size + " more needed, limit "
                    + maxBytes);
        }
    }

    private List<Path> entries() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (SHA256.matcher(p.getFileName().toString()).matches()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static FileTime lastUse(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private void touch(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
    }

    private void writeHashes(CachedArtifact a) throws IOException {
        Properties p = new Properties();
        p.setProperty("size", Long.toString(a.size()));
        p.setProperty("sha1", a.sha1());
        p.setProperty("md5", a.md5());
        Path tmp = dir.resolve(a.sha256() + ".hashes.part");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "compatibility digests for hawkBit clients; trust rests on the signed SHA-256 in the name");
        }
        Files.move(tmp, dir.resolve(a.sha256() + ".hashes"), StandardCopyOption.REPLACE_EXISTING);
    }

    private Properties readHashes(String sha256) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(sha256 + ".hashes"))) {
            p.load(in);
        }
        return p;
    }

    /** An artifact checked and held open for serving. */
    static final class Served implements AutoCloseable {
        private final CachedArtifact artifact;
        private final FileChannel channel;

        Served(CachedArtifact artifact, FileChannel channel) {
            this.artifact = artifact;
            this.channel = channel;
        }

        CachedArtifact artifact() {
            return artifact;
        }

        /**
         * Copies the bytes from {@code from} to the end from the checked descriptor; a whole-file
         * copy is hashed again on the way and fails at its end if the bytes changed meanwhile.
         */
        void copyTo(long from, OutputStream out) throws IOException {
            Digests d = from == 0 ? new Digests() : null;
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = from;
            for (int n; pos < artifact.size() && (n = channel.read(buf, pos)) > 0; pos += n) {
                int len = (int) Math.min(n, artifact.size() - pos);
                if (d != null) {
                    d.update(buf.array(), 0, len);
                }
                out.write(buf.array(), 0, len);
                buf.clear();
            }
            if (d != null && !d.result(pos).sha256().equals(artifact.sha256())) {
                throw new IOException("cached artifact " + artifact.sha256() + " changed while it was being served");
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** SHA-256, SHA-1 and MD5 over the same bytes. */
    private static final class Digests {
        private final MessageDigest sha256;
        private final MessageDigest sha1;
        private final MessageDigest md5;
        private long count;

        Digests() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
                sha1 = MessageDigest.getInstance("SHA-1");
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks a mandatory digest", e);
            }
        }

        void update(byte[] b, int off, int len) {
            sha256.update(b, off, len);
            sha1.update(b, off, len);
            md5.update(b, off, len);
            count += len;
        }

        CachedArtifact result(long size) {
            return new CachedArtifact(HEX.formatHex(sha256.digest()), size, HEX.formatHex(sha1.digest()),
                    HEX.formatHex(md5.digest()));
        }
    }
}
