package io.gantry.release;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.verify.PayloadHashMismatchException;
import io.gantry.api.verify.PayloadSizeException;
import io.gantry.api.verify.ReleaseRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Copies a payload stream while hashing it, reading at most the signed size plus one byte, and
 * fails unless the size and SHA-256 match the signed values. Memory use is one buffer.
 */
public final class PayloadCheck {
    private static final int BUFFER = 64 * 1024;

    private PayloadCheck() {
    }

    /**
     * @param info the signed name, digest and size
     * @param in the untrusted bytes
     * @param out where the bytes go while they are checked (a staging file, never a live slot)
     * @throws ReleaseRejectedException ENDLESS_DATA, TRUNCATED or HASH_MISMATCH
     * @throws IOException if reading or writing fails
     */
    public static void copyVerified(PayloadInfo info, InputStream in, OutputStream out)
            throws ReleaseRejectedException, IOException {
        MessageDigest sha256 = sha256();
        byte[] buf = new byte[BUFFER];
        long limit = info.size() + 1;
        long total = 0;
        while (total < limit) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
            if (n < 0) {
                break;
            }
            total += n;
            if (total > info.size()) {
                throw new PayloadSizeException(info.name(), info.size(), total);
            }
            sha256.update(buf, 0, n);
            out.write(buf, 0, n);
        }
        if (total != info.size()) {
            throw new PayloadSizeException(info.name(), info.size(), total);
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(info.sha256())) {
            throw new PayloadHashMismatchException(info.name(), info.sha256(), actual);
        }
    }

    /** @return a fresh SHA-256 digest */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
