package io.gantry.testing;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Release objects that exist only in memory: {@link VerifiedRelease}s and {@link VerifiedPayload}s no
 * verifier produced (what a unit test hands an installer, or what a compromised gateway forges), and
 * {@link ReleaseSource}s that change what a genuine source serves. Archives on disk, genuine or
 * crafted, come from {@link TestReleases}.
 */
public final class InMemoryReleases {
    private InMemoryReleases() {
    }

    /** @return a payload whose stream is {@code bytes} */
    public static VerifiedPayload payload(PayloadInfo info, byte[] bytes) {
        return payload(info, () -> new ByteArrayInputStream(bytes));
    }

    /** Opens a payload's stream. */
    @FunctionalInterface
    public interface PayloadStream {
        /** @return a new stream of the payload's bytes */
        InputStream open() throws IOException;
    }

    /** @return a payload whose streams come from {@code stream} */
    public static VerifiedPayload payload(PayloadInfo info, PayloadStream stream) {
        return new VerifiedPayload() {
            @Override
            public PayloadInfo info() {
                return info;
            }

            @Override
            public InputStream open() throws IOException {
                return stream.open();
            }
        };
    }

    /**
     * @return a {@link VerifiedRelease} no verifier ever saw (nothing staged, no signer key ids): what
     *     a unit test hands an installer, or what a compromised gateway forges
     */
    public static VerifiedRelease verified(ReleaseMetadata m, String role, List<String> signerNames,
            List<VerifiedPayload> payloads) {
        return new VerifiedRelease() {
            @Override
            public ReleaseMetadata metadata() {
                return m;
            }

            @Override
            public List<String> signerKeyIds() {
                return List.of();
            }

            @Override
            public List<String> signerNames() {
                return signerNames;
            }

            @Override
            public String role() {
                return role;
            }

            @Override
            public List<VerifiedPayload> payloads() {
                return payloads;
            }

            @Override
            public void close() {
                // nothing staged
            }
        };
    }

    /**
     * @return a source over {@code source} whose payloads carry {@code extra} zero bytes after the
     *     genuine ones; {@code read} counts what the consumer actually took
     */
    public static ReleaseSource padded(ReleaseSource source, int extra, AtomicLong read) {
        return new ForwardingSource(source) {
            @Override
            public InputStream openPayload(String name) throws IOException {
                byte[] genuine;
                try (InputStream in = source.openPayload(name)) {
                    genuine = in.readAllBytes();
                }
                return new CountingStream(new ByteArrayInputStream(Arrays.copyOf(genuine, genuine.length + extra)), read);
            }
        };
    }

    /**
     * Forwards everything to a source; an attack overrides what it changes. The sized
     * {@code openPayload(name, signedSize)} the verifier calls is not forwarded: it keeps the
     * interface's default, which calls {@link #openPayload(String)}, so overriding that one is enough.
     */
    public static class ForwardingSource implements ReleaseSource {
        private final ReleaseSource delegate;

        /** @param delegate the genuine source */
        public ForwardingSource(ReleaseSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] metadata() throws IOException {
            return delegate.metadata();
        }

        @Override
        public byte[] signatures() throws IOException {
            return delegate.signatures();
        }

        @Override
        public InputStream openPayload(String payloadName) throws IOException {
            return delegate.openPayload(payloadName);
        }

        @Override
        public String describe() {
            return "crafted " + delegate.describe();
        }
    }

    /** Counts the bytes a consumer actually read. */
    private static final class CountingStream extends FilterInputStream {
        private final AtomicLong count;

        CountingStream(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
