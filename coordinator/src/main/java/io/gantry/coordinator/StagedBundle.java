package io.gantry.coordinator;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One bundle of a transaction: a jar already verified by its caller, and the digest it was
 * verified under. The coordinator copies the jar into its own storage and installs that copy only
 * if it still has this digest.
 *
 * @param symbolicName the jar's Bundle-SymbolicName
 * @param version the jar's Bundle-Version
 * @param jar where the verified jar is now
 * @param sha256 its SHA-256, 64 lower-case hex digits
 */
public record StagedBundle(String symbolicName, String version, Path jar, String sha256) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

    /** @throws IllegalArgumentException for a name unusable as a file name or a malformed digest */
    public StagedBundle {
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(version, "version");
        if (symbolicName == null || !NAME.matcher(symbolicName).matches() || symbolicName.contains("..")) {
            throw new IllegalArgumentException("not a usable symbolic name: " + symbolicName);
        }
        if (sha256 == null || !HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
    }
}
