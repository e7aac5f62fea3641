package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a {@code CheckInTrigger} (what the MQTT transport calls on a command): with the
 * backend asking for a poll every hour, a trigger makes the agent poll at once, and triggers that
 * arrive while a poll is pending collapse into it.
 */
class CheckInTriggerTest {
    @TempDir
    Path dir;
    private StubDdiBackend backend;
    private final AtomicInteger polls = new AtomicInteger();
    private final Semaphore polled = new Semaphore(0);

    @BeforeEach
    void startStub() throws Exception {
        backend = new StubDdiBackend(this::handle);
    }

    @AfterEach
    void stopStub() {
        backend.stop();
    }

    private void handle(HttpExchange x) throws IOException {
        polls.incrementAndGet();
        byte[] body = "{\"config\":{\"polling\":{\"sleep\":\"01:00:00\"}},\"_links\":{}}".getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
        polled.release();
    }

    @Test
    void aTriggerPollsAtOnceInsteadOfAfterTheHourTheBackendAsked() throws Exception {
        DdiPoller poller = poller();
        try {
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "first poll at activation");
            long start = System.nanoTime();
            poller.checkInNow();
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "a poll after the trigger, not an hour later");
            System.out.printf("poll %d ms after checkInNow%n", (System.nanoTime() - start) / 1_000_000);
            poller.checkInNow();
            poller.checkInNow();
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "a poll after two more triggers");
        } finally {
            poller.deactivate();
        }
        // Two triggers while one poll was pending or running: at most one extra poll, never a second chain.
        int after = polls.get();
        assertTrue(after >= 3 && after <= 4, "polls: " + after);
        assertEquals(after, polls.get());
    }

    @Test
    void anAnsweredTriggerCompletesOnlyAfterTheBackendAnsweredItsPoll() throws Exception {
        DdiPoller poller = poller();
        try {
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "first poll at activation");
            int before = polls.get();
            java.util.concurrent.CompletableFuture<Void> answered = poller.checkInNowAnswered().toCompletableFuture();
            answered.get(20, TimeUnit.SECONDS);
            assertTrue(polls.get() > before, "completed before the backend saw a new poll");
        } finally {
            poller.deactivate();
        }
        java.util.concurrent.CompletableFuture<Void> late = poller.checkInNowAnswered().toCompletableFuture();
        assertTrue(late.isCompletedExceptionally(), "a stopped agent polls no more: the caller is told at once");
    }

    @Test
    void anAnsweredTriggerFailsWhenThePollFails() throws Exception {
        DdiPoller poller = poller();
        try {
            assertTrue(polled.tryAcquire(20, TimeUnit.SECONDS), "first poll at activation");
            backend.stop();
            java.util.concurrent.CompletableFuture<Void> answered = poller.checkInNowAnswered().toCompletableFuture();
            java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> answered.get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof IOException, e.toString());
        } finally {
            poller.deactivate();
        }
    }

    private DdiPoller poller() throws Exception {
        UpdateAgent agent = new UpdateAgent() {
            @Override
            public UpdateReport apply(io.gantry.api.verify.ReleaseSource source) {
                throw new AssertionError("nothing is assigned");
            }

            @Override
            public Optional<UpdateReport> start(io.gantry.api.verify.ReleaseSource source, String transactionId) {
                throw new AssertionError("nothing is assigned");
            }

            @Override
            public Optional<UpdateReport> settle(String transactionId, io.gantry.api.verify.ReleaseSource release) {
                throw new AssertionError("nothing is pending");
            }
        };
        return backend.poller(agent, 3600, dir.resolve("reports"));
    }
}
