package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A final report the backend cannot take (it answers 503, as while it restarts) waits in the
 * journal, also across a restart of the agent, and is sent once the backend is back; the action
 * is applied once, never again (a second apply would read as a ROLLBACK).
 */
class ReportJournalTest {
    @TempDir
    Path dir;
    private StubDdiBackend backend;
    private final AtomicBoolean backendTakesReports = new AtomicBoolean(false);
    private final AtomicBoolean actionOpen = new AtomicBoolean(true);
    private final List<String> closedReports = new CopyOnWriteArrayList<>();
    private final AtomicInteger applied = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();

    @BeforeEach
    void startStub() throws Exception {
        backend = new StubDdiBackend(this::handle);
    }

    @AfterEach
    void stopStub() {
        backend.stop();
    }

    private String base() {
        return backend.controllerBase();
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String body;
        int status = 200;
        if (path.endsWith("/feedback")) {
            String feedback = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (feedback.contains("\"closed\"")) {
                if (backendTakesReports.get()) {
                    closedReports.add(feedback);
                    actionOpen.set(false);
                } else {
                    status = 503;
                }
            }
            body = "";
        } else if (path.contains("/files/")) {
            body = "{}";
        } else if (path.endsWith("/deploymentBase/5")) {
            body = "{\"id\":\"5\",\"deployment\":{\"download\":\"forced\",\"update\":\"forced\",\"chunks\":[{\"part\":\"firmware\","
                    + "\"name\":\"fw\",\"version\":\"1.0.0\",\"artifacts\":[" + artifact("release.json") + ","
                    + artifact("signatures.json") + "]}]}}";
        } else {
            polls.incrementAndGet();
            body = "{\"config\":{\"polling\":{\"sleep\":\"00:00:01\"}},\"_links\":{"
                    + (actionOpen.get() ? "\"deploymentBase\":{\"href\":\"" + base() + "/deploymentBase/5\"}" : "") + "}}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    private String artifact(String name) {
        return "{\"filename\":\"" + name + "\",\"_links\":{\"download\":{\"href\":\"" + base() + "/files/" + name + "\"}}}";
    }

    private DdiPoller poller() throws Exception {
        UpdateAgent agent = new UpdateAgent() {
            @Override
            public UpdateReport apply(io.gantry.api.verify.ReleaseSource source) {
                applied.incrementAndGet();
                return new UpdateReport("fw", "1.0.0", "acme-sensor", List.of("installed fw 1.0.0"));
            }

            @Override
            public java.util.Optional<UpdateReport> start(io.gantry.api.verify.ReleaseSource source, String transactionId) {
                return java.util.Optional.of(apply(source));
            }

            @Override
            public java.util.Optional<UpdateReport> settle(String transactionId, io.gantry.api.verify.ReleaseSource release) {
                throw new AssertionError("firmware is never pending");
            }
        };
        return backend.poller(agent, 1, dir.resolve("reports"));
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aReportTheBackendCouldNotTakeIsSentLaterAlsoAfterARestartAndTheActionIsAppliedOnce() throws Exception {
        DdiPoller first = poller();
        await(() -> applied.get() == 1, "the action applied");
        await(() -> {
            try {
                return Files.list(dir.resolve("reports")).anyMatch(p -> p.toString().endsWith("5.json"));
            } catch (IOException e) {
                return false;
            }
        }, "the report journaled");
        int seen = polls.get();
        await(() -> polls.get() >= seen + 2, "two more polls against a backend that still refuses the report");
        first.deactivate();
        assertEquals(1, applied.get(), "polled again while the report waited: not applied again");
        assertTrue(closedReports.isEmpty());

        backendTakesReports.set(true);
        DdiPoller restarted = poller();
        try {
            await(() -> closedReports.size() == 1, "the waiting report sent after the restart");
        } finally {
            restarted.deactivate();
        }
        assertEquals(1, applied.get(), "after the restart the action was not applied again");
        assertTrue(closedReports.get(0).contains("\"success\"") && closedReports.get(0).contains("installed fw 1.0.0"),
                closedReports.get(0));
        try (var left = Files.list(dir.resolve("reports"))) {
            assertEquals(0, left.count(), "the journal is empty once the backend took the report");
        }
    }
}
