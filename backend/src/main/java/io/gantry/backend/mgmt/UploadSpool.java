package io.gantry.backend.mgmt;

import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies an upload to a temporary file, reading at most the cap plus one byte, so an oversized
 * body costs bounded disk and is refused with 413 (THREATS.md, "endless data").
 */
final class UploadSpool {
    private UploadSpool() {
    }

    /**
     * @return the spooled file; the caller deletes it
     * @throws ApiException 413 PAYLOAD_TOO_LARGE beyond {@code maxBytes}
     */
    static Path spool(InputStream in, Path dir, long maxBytes) throws IOException {
        Path tmp = Files.createTempFile(dir, "upload", ".zip");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes + 1 - total))) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                out.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    static ApiException tooLarge(long maxBytes) {
        return new ApiException(SecurityEventCode.PAYLOAD_TOO_LARGE, "release archives are limited to " + maxBytes + " bytes");
    }
}
