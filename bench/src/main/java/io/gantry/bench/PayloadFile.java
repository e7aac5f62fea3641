package io.gantry.bench;

import io.gantry.api.release.PayloadInfo;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Writes a deterministic benchmark payload to disk and describes it (name, SHA-256, size) the way
 * signed metadata does. The payload is produced and hashed one chunk at a time, so even a 1 GiB
 * payload never sits on the heap.
 *
 * <p>Content: a fixed pseudo-random 16 KiB block repeated, with each 64 KiB chunk stamped with its
 * index so that no two chunks are equal. SHA-256, file reads and file writes cost the same for any
 * content, so one small random block is enough and keeps generating 1 GiB cheap.
 */
public final class PayloadFile {
    /** Read buffer of every benchmark path: the same size as {@code io.gantry.release.PayloadCheck}'s. */
    public static final int BUFFER = 64 * 1024;

    private static final int BLOCK = 16 * 1024;
    private static final long SEED = 0x6761_6e74_7279L;

    private PayloadFile() {
    }

    /**
     * @param file the file to create or replace; it is synced to disk before this returns, so that
     *     no write-back of it competes with the measurement
     * @param name the payload name to describe it under
     * @param size the exact size in bytes
     * @return the payload's signed-to-be description
     */
    public static PayloadInfo write(Path file, String name, long size) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] chunk = new byte[BUFFER];
        fill(chunk);
        long written = 0;
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            for (long index = 0; written < size; index++) {
                stamp(chunk, index);
                int n = (int) Math.min(chunk.length, size - written);
                sha256.update(chunk, 0, n);
                out.write(chunk, 0, n);
                written += n;
            }
            out.getFD().sync();
        }
        return new PayloadInfo(name, HexFormat.of().formatHex(sha256.digest()), size);
    }

    /** Fills {@code chunk} with the repeated pseudo-random block. */
    static void fill(byte[] chunk) {
        byte[] block = new byte[BLOCK];
        new SplittableRandom(SEED).nextBytes(block);
        for (int off = 0; off < chunk.length; off += BLOCK) {
            System.arraycopy(block, 0, chunk, off, Math.min(BLOCK, chunk.length - off));
        }
    }

    /** Writes {@code index} big-endian into the first 8 bytes of {@code chunk}. */
    static void stamp(byte[] chunk, long index) {
        for (int i = 0; i < 8; i++) {
            chunk[i] = (byte) (index >>> (56 - 8 * i));
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
