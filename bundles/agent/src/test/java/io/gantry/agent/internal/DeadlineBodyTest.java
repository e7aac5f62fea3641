package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Slow retrieval (THREATS.md): a stalled or endless trickle is cut, a normal body is read whole. */
class DeadlineBodyTest {
    final AtomicLong requested = new AtomicLong();
    final AtomicBoolean cancelled = new AtomicBoolean();
    final Flow.Subscription subscription = new Flow.Subscription() {
        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    };

    InputStream body(DeadlineBody d) throws Exception {
        d.onSubscribe(subscription);
        return d.getBody().toCompletableFuture().get();
    }

    @Test
    void readsEveryByteAndRequestsMoreAsItGoes() throws Exception {
        DeadlineBody d = new DeadlineBody(5_000, 60_000);
        InputStream in = body(d);
        d.onNext(List.of(ByteBuffer.wrap("hello ".getBytes()), ByteBuffer.wrap("gateway".getBytes())));
        d.onNext(List.of(ByteBuffer.wrap("!".getBytes())));
        d.onComplete();
        assertArrayEquals("hello gateway!".getBytes(), in.readAllBytes());
        assertTrue(requested.get() >= 3, "demand is signalled batch by batch");
    }

    @Test
    void aStalledBodyFailsAsSlowRetrievalAndIsCancelled() throws Exception {
        DeadlineBody d = new DeadlineBody(50, 60_000);
        InputStream in = body(d);
        d.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        byte[] buf = new byte[3];
        assertEquals(3, in.read(buf, 0, 3));
        SlowRetrievalException e = assertThrows(SlowRetrievalException.class, () -> in.read(buf, 0, 3));
        assertTrue(e.getMessage().contains("no data"), e.getMessage());
        assertTrue(cancelled.get(), "the connection is released");
    }

    @Test
    void aBodyPastItsDeadlineFailsEvenIfBytesKeepComing() throws Exception {
        DeadlineBody d = new DeadlineBody(5_000, 0);
        InputStream in = body(d);
        d.onNext(List.of(ByteBuffer.wrap(new byte[] {1})));
        SlowRetrievalException e = assertThrows(SlowRetrievalException.class, in::read);
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    }

    @Test
    void aTransportErrorSurfacesAsIoException() throws Exception {
        DeadlineBody d = new DeadlineBody(5_000, 60_000);
        InputStream in = body(d);
        d.onError(new IOException("connection reset"));
        IOException e = assertThrows(IOException.class, in::read);
        assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
    }

    @Test
    void deadlineGrowsWithTheExpectedSize() {
        DownloadLimits l = new DownloadLimits(30_000, 60_000, 1024);
        assertEquals(60_000, l.deadlineMillis(0));
        assertEquals(60_000 + 100_000, l.deadlineMillis(100 * 1024));
    }
}
