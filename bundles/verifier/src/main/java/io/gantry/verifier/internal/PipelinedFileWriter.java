package io.gantry.verifier.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes the staged copy of a payload on a second thread while the verifying thread hashes, so a
 * staged verification costs about as much as hashing alone (docs/benchmarks.md: staging on the
 * hashing thread cost a quarter to a half of the throughput). Memory is bounded: a fixed pool of
 * {@value #BUFFERS} buffers of {@value #BUFFER_SIZE} bytes circulates between the two threads.
 * A write failure on the writer thread is reported by the next {@code write} or by {@code close}.
 */
final class PipelinedFileWriter extends OutputStream {
    static final int BUFFERS = 8;
    static final int BUFFER_SIZE = 64 * 1024;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private record Chunk(byte[] bytes, int length) {
    }

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final OutputStream target;
    private final Thread writer;
    private volatile IOException failure;
    private boolean closed;

    PipelinedFileWriter(OutputStream target, String name) {
        this.target = target;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER_SIZE]);
        }
        this.writer = new Thread(this::drain, "gantry-staging-writer-" + name);
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            rethrow();
            int n = Math.min(len, BUFFER_SIZE);
            byte[] buf = take(free);
            System.arraycopy(b, off, buf, 0, n);
            put(new Chunk(buf, n));
            off += n;
            len -= n;
        }
    }

    /** Waits until every byte is written and the file is closed. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        put(END);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing the staged copy");
        } finally {
            target.close();
        }
        rethrow();
    }

    private void drain() {
        while (true) {
            Chunk c;
            try {
                c = full.take();
            } catch (InterruptedException e) {
                failure = new InterruptedIOException("staging writer interrupted");
                return;
            }
            if (c == END) {
                return;
            }
            if (failure == null) {
                try {
                    target.write(c.bytes(), 0, c.length());
                } catch (IOException e) {
                    // Keep draining so the hashing thread never blocks; it sees the failure next.
                    failure = e;
                }
            }
            free.add(c.bytes());
        }
    }

    private void rethrow() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new IOException("writing the staged copy failed: " + f.getMessage(), f);
        }
    }

    private static <T> T take(BlockingQueue<T> q) throws InterruptedIOException {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while staging");
        }
    }

    private void put(Chunk c) throws InterruptedIOException {
        try {
            full.put(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while staging");
        }
    }
}
