package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateReport;
import io.gantry.api.verify.ReleaseSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a committed bundle set the agent closes its action; a poll answer that still links the
 * action (answered before the close reached the backend, as when a successor agent's first poll
 * races its predecessor's last one) must not make the agent fetch the old deploymentBase again
 * and post progress the backend answers 410 ("poll failed"). The backend is an HTTPS stub on
 * loopback that answers 410 to feedback on a closed action, as the real one does. Also: a download
 * quota that refuses the signed metadata (429 with Retry-After) defers the action for that long
 * instead of failing a poll every interval.
 */
class DdiPollerStubBackendTest {
    static final String ACTION = "7";
    @TempDir
    Path dir;
    private StubDdiBackend backend;
    private String base;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Poll answers after the close that still link the action. */
    private final AtomicInteger staleAnswers = new AtomicInteger(1);
    private final AtomicInteger pollsAfterClose = new AtomicInteger();
    private final AtomicInteger deploymentFetchesAfterClose = new AtomicInteger();
    private final List<String> answeredGone = new CopyOnWriteArrayList<>();
    private final Semaphore polledAfterClose = new Semaphore(0);
    private final AtomicInteger settles = new AtomicInteger();
    /** When set, the metadata download answers 429 with an hour's Retry-After, as the backend's quota does. */
    private final AtomicBoolean quotaSpent = new AtomicBoolean();
    private final AtomicInteger metadataFetches = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final Semaphore polled = new Semaphore(0);
    private final List<String> feedback = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startStub() throws Exception {
        backend = new StubDdiBackend(this::handle);
        base = backend.controllerBase();
    }

    @AfterEach
    void stopStub() {
        backend.stop();
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath().substring("/DEFAULT/controller/v1/gw-1".length());
        String method = x.getRequestMethod();
        if (path.isEmpty() && method.equals("GET")) {
            polls.incrementAndGet();
            polled.release();
            boolean link = !closed.get() || staleAnswers.getAndDecrement() > 0;
            answer(x, 200, "{\"config\":{\"polling\":{\"sleep\":\"00:00:01\"}},\"_links\":{"
                    + (link ? "\"deploymentBase\":{\"href\":\"" + base + "/deploymentBase/" + ACTION + "?c=1\"}" : "") + "}}");
            if (closed.get()) {
                pollsAfterClose.incrementAndGet();
                polledAfterClose.release();
            }
        } else if (path.equals("/deploymentBase/" + ACTION) && method.equals("GET")) {
            if (closed.get()) {
                deploymentFetchesAfterClose.incrementAndGet();
            }
            answer(x, 200, "{\"id\":\"" + ACTION + "\",\"deployment\":{\"download\":\"forced\",\"update\":\"forced\",\"chunks\":[{"
                    + "\"part\":\"bApp\",\"name\":\"io.gantry.verifier\",\"version\":\"0.2.0\",\"artifacts\":["
                    + artifact("release.json") + "," + artifact("signatures.json") + "]}]}}");
        } else if (path.startsWith("/files/") && method.equals("GET")) {
            if (path.endsWith("release.json")) {
                metadataFetches.incrementAndGet();
            }
            if (quotaSpent.get()) {
                x.getResponseHeaders().add("Retry-After", "3600");
                answer(x, 429, "DOWNLOAD_REPEATED");
                return;
            }
            answer(x, 200, "{}");
        } else if (path.equals("/deploymentBase/" + ACTION + "/feedback") && method.equals("POST")) {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            feedback.add(body);
            if (closed.get()) {
                answeredGone.add(body);
                answer(x, 410, "ACTION_CLOSED");
                return;
            }
            if (body.contains("\"closed\"")) {
                closed.set(true);
            }
            answer(x, 200, "");
        } else {
            answer(x, 404, "no " + method + " " + path);
        }
    }

    private String artifact(String name) {
        return "{\"filename\":\"" + name + "\",\"_links\":{\"download\":{\"href\":\"" + base + "/files/" + name + "\"}}}";
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    @Test
    void aPollAnswerThatPredatesTheCloseFetchesNothingAndPostsNothing() throws Exception {
        DdiPoller poller = poller();
        try {
            assertTrue(polledAfterClose.tryAcquire(3, 60, TimeUnit.SECONDS), "three polls after the close");
        } finally {
            poller.deactivate();
        }
        assertTrue(settles.get() >= 2, "the bundle set was settled on a later poll");
        assertEquals(List.of(), answeredGone, "feedback the backend answered 410");
        assertEquals(0, deploymentFetchesAfterClose.get(), "the closed action's deploymentBase was fetched again");
        assertTrue(staleAnswers.get() < 0, "the stub's stale answer was served");
    }

    @Test
    void aQuotaRefusingTheMetadataDefersTheActionForItsRetryAfter() throws Exception {
        quotaSpent.set(true);
        DdiPoller poller = poller();
        try {
            assertTrue(polled.tryAcquire(4, 60, TimeUnit.SECONDS), "four polls");
        } finally {
            poller.deactivate();
        }
        assertEquals(1, metadataFetches.get(), "the metadata was asked for again before its Retry-After");
        assertTrue(feedback.stream().anyMatch(f -> f.contains("DOWNLOAD_DEFERRED")), feedback.toString());
        assertEquals(0, settles.get());
    }

    private DdiPoller poller() throws Exception {
        UpdateAgent agent = new UpdateAgent() {
            @Override
            public UpdateReport apply(ReleaseSource source) {
                throw new AssertionError("the poller hands over and settles");
            }

            @Override
            public Optional<UpdateReport> start(ReleaseSource source, String transactionId) {
                return Optional.empty(); // handed to the coordinator
            }

            @Override
            public Optional<UpdateReport> settle(String transactionId, ReleaseSource release) {
                // Still switching at the first look, committed at the second.
                return settles.incrementAndGet() < 2 ? Optional.empty()
                        : Optional.of(new UpdateReport("io.gantry.verifier", "0.2.0", "gantry-gateway",
                                List.of("updated bundle io.gantry.verifier 0.1.0 -> 0.2.0")));
            }
        };
        return backend.poller(agent, 1, dir.resolve("reports"));
    }
}
