package io.gantry.backend.db;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * SHA-1 and MD5 of an artifact, for hawkBit DDI clients that require them (compatibility fields;
 * Gantry's own checks use SHA-256 and signatures only).
 *
 * @param sha1 lower-case hex SHA-1
 * @param md5 lower-case hex MD5
 */
public record CompatDigests(String sha1, String md5) {
    private static final Pattern FORMAT = Pattern.compile("sha1=([0-9a-f]{40})\\nmd5=([0-9a-f]{32})\\n");

    /** @return the digests of everything {@code in} yields */
    public static CompatDigests of(InputStream in) throws IOException {
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest md5 = digest("MD5");
        byte[] buf = new byte[64 * 1024];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            sha1.update(buf, 0, n);
            md5.update(buf, 0, n);
        }
        return new CompatDigests(HexFormat.of().formatHex(sha1.digest()), HexFormat.of().formatHex(md5.digest()));
    }

    /** @return the digests of {@code bytes} */
    public static CompatDigests of(byte[] bytes) {
        return new CompatDigests(HexFormat.of().formatHex(digest("SHA-1").digest(bytes)),
                HexFormat.of().formatHex(digest("MD5").digest(bytes)));
    }

    /** @return the form {@link #parse} reads */
    String format() {
        return "sha1=" + sha1 + "\nmd5=" + md5 + "\n";
    }

    /** @throws IOException if {@code text} is not what {@link #format} writes */
    static CompatDigests parse(String text) throws IOException {
        var m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IOException("compatibility digest file damaged");
        }
        return new CompatDigests(m.group(1), m.group(2));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JDK", e);
        }
    }
}
