package io.gantry.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A download body as an InputStream that refuses slow retrieval (THREATS.md): a read fails with
 * {@link SlowRetrievalException} when no bytes arrive for the stall timeout or the whole download
 * passes its deadline. Written by hand because the JDK's {@code ofInputStream()} body blocks without
 * any timeout once headers arrived, and a trickle just under a socket timeout would hold the agent
 * forever. Waits use the monotonic {@code System.nanoTime()}: network deadlines must not follow wall
 * clock changes.
 */
final class DeadlineBody implements HttpResponse.BodySubscriber<InputStream> {
    private static final List<ByteBuffer> END = List.of();

    private final BlockingQueue<List<ByteBuffer>> arrived = new LinkedBlockingQueue<>();
    private final long stallNanos;
    private final long deadlineNanos;
    private volatile Flow.Subscription subscription;
    private volatile Throwable failure;

    /**
     * @param stallMillis longest wait for the next bytes
     * @param totalMillis longest time for the whole body, counted from now
     */
    DeadlineBody(long stallMillis, long totalMillis) {
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(totalMillis);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrived.add(item);
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        arrived.add(END);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(new Stream());
    }

    private final class Stream extends InputStream {
        private final Deque<ByteBuffer> pending = new ArrayDeque<>();
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pending.isEmpty() || !pending.peek().hasRemaining()) {
                if (!pending.isEmpty()) {
                    pending.poll();
                    continue;
                }
                if (done) {
                    return -1;
                }
                fill();
            }
            ByteBuffer head = pending.peek();
            int n = Math.min(len, head.remaining());
            head.get(b, off, n);
            return n;
        }

        private void fill() throws IOException {
            long now = System.nanoTime();
            long wait = Math.min(stallNanos, deadlineNanos - now);
            List<ByteBuffer> next;
            try {
                next = wait <= 0 ? null : arrived.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new java.io.InterruptedIOException("download interrupted");
            }
            if (next == null) {
                close();
                throw new SlowRetrievalException(System.nanoTime() - deadlineNanos >= 0
                        ? "download exceeded its deadline" : "no data for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s");
            }
            if (next == END) {
                done = true;
                if (failure != null) {
                    throw new IOException("download failed: " + failure.getMessage(), failure);
                }
                return;
            }
            pending.addAll(next);
            subscription.request(1);
        }

        @Override
        public void close() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            done = true;
        }
    }
}
