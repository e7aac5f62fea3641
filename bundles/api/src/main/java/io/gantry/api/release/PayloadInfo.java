package io.gantry.api.release;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One payload named by signed release metadata: a file name, its SHA-256 and its exact size.
 * The constructor refuses names that could escape a directory and malformed digests, so every
 * instance is safe to use as a file name.
 */
public record PayloadInfo(String name, String sha256, long size) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * @throws IllegalArgumentException if the name is not a plain file name, the digest is not 64
     *     lower-case hex digits, or the size is negative
     */
    public PayloadInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("payload name is not a plain file name: " + name);
        }
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("payload sha256 is not 64 lower-case hex digits");
        }
        if (size < 0) {
            throw new IllegalArgumentException("payload size is negative");
        }
    }
}
