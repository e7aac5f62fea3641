package io.gantry.agent.internal;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.verify.PayloadChangedException;
import io.gantry.api.verify.VerifiedPayload;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One read of a verified firmware payload serves every device of the type: the payload is read
 * once from the verifier's staging (whose stream re-checks the signed digest) and hashed again
 * here, then kept in memory, keyed by its signed digest and size. Bounded: a payload above
 * {@code maxEntryBytes} is not cached (each device then reads the staging copy, still
 * digest-checked), and the least recently used entries are evicted to stay within
 * {@code maxTotalBytes}. The fleet update empties it when the release is done, since the staging
 * copy is gone then too.
 */
final class PayloadCache {
    /** Default largest payload kept in memory. */
    static final long DEFAULT_MAX_ENTRY = 8L * 1024 * 1024;
    /** Default most bytes kept in memory at once. */
    static final long DEFAULT_MAX_TOTAL = 16L * 1024 * 1024;

    private final long maxEntryBytes;
    private final long maxTotalBytes;
    private final LinkedHashMap<String, byte[]> entries = new LinkedHashMap<>(8, 0.75f, true);
    private long totalBytes;
    private int stagingReads;

    PayloadCache(long maxEntryBytes, long maxTotalBytes) {
        if (maxEntryBytes < 0 || maxTotalBytes < maxEntryBytes) {
            throw new IllegalArgumentException("cache limits must satisfy 0 <= maxEntry <= maxTotal");
        }
        this.maxEntryBytes = maxEntryBytes;
        this.maxTotalBytes = maxTotalBytes;
    }

    /**
     * @return a payload serving the same verified bytes, from memory when they fit
     * @throws PayloadChangedException if the staged bytes no longer match the signed digest
     * @throws IOException if the staging copy cannot be read
     */
    synchronized VerifiedPayload serve(VerifiedPayload payload) throws IOException {
        PayloadInfo info = payload.info();
        if (info.size() > maxEntryBytes) {
            return payload;
        }
        String key = info.sha256() + ":" + info.size();
        byte[] bytes = entries.get(key);
        if (bytes == null) {
            bytes = readOnce(payload);
            entries.put(key, bytes);
            totalBytes += bytes.length;
            evict();
        }
        return new Cached(info, bytes);
    }

    /** Drops every entry. */
    synchronized void clear() {
        entries.clear();
        totalBytes = 0;
    }

    /** @return bytes held now */
    synchronized long totalBytes() {
        return totalBytes;
    }

    /** @return how often a staging copy was read into the cache */
    synchronized int stagingReads() {
        return stagingReads;
    }

    private void evict() {
        Iterator<Map.Entry<String, byte[]>> it = entries.entrySet().iterator();
        while (totalBytes > maxTotalBytes && it.hasNext()) {
            totalBytes -= it.next().getValue().length;
            it.remove();
        }
    }

    private byte[] readOnce(VerifiedPayload payload) throws IOException {
        stagingReads++;
        PayloadInfo info = payload.info();
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream((int) info.size());
        try (InputStream in = payload.open(); DigestOutputStream out = new DigestOutputStream(copy, sha256)) {
            // One byte past the signed size at most: a longer staging copy is a changed one.
            out.write(in.readNBytes((int) info.size() + 1));
        }
        if (copy.size() != info.size() || !HexFormat.of().formatHex(sha256.digest()).equals(info.sha256())) {
            throw new PayloadChangedException("staged payload " + info.name() + " does not match its signed digest");
        }
        return copy.toByteArray();
    }

    /** A payload served from memory; the array is never handed out. */
    private record Cached(PayloadInfo info, byte[] bytes) implements VerifiedPayload {
        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }
}
