package io.gantry.verifier.internal;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.verify.PayloadChangedException;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.release.PayloadCheck;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A payload staged during verification. {@link #open()} hashes again while the consumer reads and
 * fails at end of stream if the staged copy no longer matches, closing the check-then-use gap
 * (RAUC CVE-2020-25860) for any consumer that reads to the end, as bundle and slot installers do.
 */
final class StagedPayload implements VerifiedPayload {
    private final PayloadInfo info;
    private final Path file;

    StagedPayload(PayloadInfo info, Path file) {
        this.info = info;
        this.file = file;
    }

    @Override
    public PayloadInfo info() {
        return info;
    }

    @Override
    public InputStream open() throws IOException {
        return new RecheckingStream(Files.newInputStream(file), info);
    }

    private static final class RecheckingStream extends FilterInputStream {
        private final PayloadInfo info;
        private final MessageDigest sha256 = PayloadCheck.sha256();
        private long count;
        /** The end was reached and checked; later reads answer -1 again without re-digesting. */
        private boolean ended;

        RecheckingStream(InputStream in, PayloadInfo info) {
            super(in);
            this.info = info;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            int n = super.read(b, off, len);
            if (n < 0) {
                String actual = HexFormat.of().formatHex(sha256.digest());
                if (count != info.size() || !actual.equals(info.sha256())) {
                    throw new PayloadChangedException("staged payload " + info.name() + " changed after verification");
                }
                ended = true;
                return n;
            }
            count += n;
            sha256.update(b, off, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // Skipping would bypass the re-hash: read through instead.
            byte[] buf = new byte[8192];
            long skipped = 0;
            while (skipped < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
