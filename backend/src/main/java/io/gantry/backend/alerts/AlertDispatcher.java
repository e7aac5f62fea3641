package io.gantry.backend.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.backend.db.AlertDeliveryRepository;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.JobLock;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.SecurityEventRow;
import io.gantry.backend.failure.SecurityEventCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifies operators of security events that need a person (a device's certificate renewal
 * escalated or in emergency, revocations, release rejections): posts each such event as one JSON
 * document to the operator's webhook, in event order, at least once.
 *
 * <p>The security event table is the queue: a cursor per webhook ({@code alert_delivery}, keyed by
 * the SHA-256 of the URL, which may carry a secret) moves only after the webhook answered 2xx, so a
 * webhook that is down gets every alert once it is back, also across backend restarts; a failing
 * webhook is retried with doubling waits up to 5 minutes. {@code SecurityEvents} inserts one row at
 * a time, so ids become visible in order and the cursor never passes an uncommitted one. A new
 * webhook starts after the newest event present when it was first configured (no replay of
 * history). A gap in the ids (an insert that has not committed yet, on this node or another) holds
 * delivery for one round, so the cursor does not pass an event that commits a moment later.
 * Repeats of a device's renewal report (same {@code CERT_RENEWAL_*} code, same device)
 * within {@link #REPEAT_WINDOW} are folded into the first (a device in emergency mode reports every
 * attempt); every other alert is sent. Events the table cap deleted before
 * delivery are lost, which the log says.
 *
 * <p>Every backend node runs a dispatcher; a round runs under the {@link JobLock} {@value #LOCK},
 * taken without waiting, so on one database one node posts at a time and reads the cursor the last
 * one moved: each alert is posted once, not once per node (still at least once: a node killed
 * between a post and its cursor update has the next round post that alert again). The folding of
 * repeats is remembered per node, so a repeat that one node folded may be posted by another.
 */
public final class AlertDispatcher implements AutoCloseable {
    /** Repeats of a device's renewal report (same code, same device) within this period are not sent again. */
    public static final Duration REPEAT_WINDOW = Duration.ofHours(1);
    /** Its row in {@code job_locks} (V26): one node delivers at a time. */
    public static final String LOCK = "alert-dispatch";
    private static final Set<String> RENEWAL_REPORTS = Stream.of(SecurityEventCode.CERT_RENEWAL_ESCALATED,
            SecurityEventCode.CERT_RENEWAL_EMERGENCY, SecurityEventCode.CERT_RENEWAL_EXPIRED).map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** Whole exchange, body included: a relay that trickles its answer cannot hold the alert thread. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final AlertWebhook webhook;
    private final String cursorKey;
    private final Database database;
    private final SecurityEventRepository events;
    private final AlertDeliveryRepository cursors;
    private final Clock clock;
    private final HttpClient http;
    private final JobLock lock;
    private final Map<String, Instant> lastSent = new HashMap<>();
    private volatile boolean stopping;
    private ScheduledExecutorService executor;
    private int failures;
    /** The id after a gap the last round stopped at, or -1. */
    private long heldAt = -1;

    /**
     * @param webhook where and what to send
     * @param database the backend's database (security events and the delivery cursor)
     * @param clock time of cursor updates, of the repeat window and of the {@code sentAt} field
     */
    public AlertDispatcher(AlertWebhook webhook, Database database, Clock clock) {
        this.webhook = webhook;
        this.cursorKey = "sha256:" + sha256(webhook.url().toString());
        this.database = database;
        this.events = new SecurityEventRepository();
        this.cursors = new AlertDeliveryRepository();
        this.clock = clock;
        this.lock = new JobLock(database, LOCK);
        this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Fixes the starting point and begins delivering on a background thread. */
    public void start() throws SQLException {
        initCursor();
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "gantry-alerts");
            t.setDaemon(true);
            return t;
        });
        // close() waits only for a round in progress, not for the next one.
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor = ex;
        executor.schedule(this::runAndReschedule, 0, TimeUnit.MILLISECONDS);
        LOG.info("operator alerts for {} event codes go to {}", webhook.codes().size(), redacted(webhook.url()));
    }

    /** A webhook seen for the first time starts after the newest event now stored. */
    void initCursor() throws SQLException {
        database.inTransaction(c -> {
            if (cursors.cursor(c, cursorKey).isEmpty()) {
                cursors.save(c, cursorKey, events.maxId(c), clock.instant());
            }
            return null;
        });
    }

    private void runAndReschedule() {
        boolean ok = false;
        try {
            ok = deliverPending();
        } catch (RuntimeException e) {
            LOG.error("alert delivery failed unexpectedly", e);
        } finally {
            failures = ok ? 0 : failures + 1;
            Duration wait = ok ? webhook.interval() : backoff(failures);
            if (!stopping) {
                executor.schedule(this::runAndReschedule, wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    Duration backoff(int failedRounds) {
        Duration d = webhook.interval().multipliedBy(1L << Math.min(failedRounds, 16));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /**
     * Sends every pending alert in event order; stops at the first failed delivery.
     *
     * @return whether everything pending was delivered (or there was nothing)
     */
    synchronized boolean deliverPending() {
        Optional<JobLock.Held> taken;
        try {
            taken = lock.tryAcquire();
        } catch (SQLException e) {
            LOG.error("alert delivery cannot take its lock", e);
            return false;
        }
        if (taken.isEmpty()) {
            // Another node is delivering this round; it moves the shared cursor.
            return true;
        }
        try (JobLock.Held held = taken.get()) {
            return deliverHoldingLock();
        } catch (SQLException e) {
            LOG.error("alert delivery cannot release its lock", e);
            return false;
        }
    }

    private boolean deliverHoldingLock() {
        try {
            while (!stopping) {
                long cursor = database.inTransaction(c -> cursors.cursor(c, cursorKey).orElse(0));
                List<SecurityEventRow> batch = database.inTransaction(c -> events.after(c, cursor, BATCH));
                if (batch.isEmpty()) {
                    return true;
                }
                long done = cursor;
                try {
                    for (SecurityEventRow e : batch) {
                        if (done > 0 && e.id() > done + 1 && !passGap(done, e.id())) {
                            return true;
                        }
                        if (stopping || (isAlert(e) && !post(e))) {
                            return false;
                        }
                        done = e.id();
                    }
                } finally {
                    saveCursor(cursor, done);
                }
            }
            return false;
        } catch (SQLException e) {
            LOG.error("alert delivery cannot read or move its cursor", e);
            return false;
        }
    }

    /**
     * A gap in the event ids after the cursor: an insert on another node (or thread) that took its id
     * but has not committed yet, a rolled-back insert, or rows the table cap deleted. The first round
     * that meets a gap stops before it, so an event committed a moment later is still posted in order;
     * a gap still there a round later is permanent and is passed (an alert among those ids is lost,
     * which the log says).
     *
     * @return whether to go on past the gap now
     */
    private boolean passGap(long done, long next) {
        if (heldAt != next) {
            heldAt = next;
            return false;
        }
        heldAt = -1;
        LOG.warn("security events {}..{} are missing (deleted by the table cap, or never committed) after waiting a round:"
                + " any alert among them was lost", done + 1, next - 1);
        return true;
    }

    /**
     * An event in the webhook's codes, unless it repeats a device's renewal report already sent
     * within the window. Only those fold: their subject is the device and each attempt repeats the
     * same news, while the subject of, say, a revocation is the operator, and each one is news.
     */
    private boolean isAlert(SecurityEventRow e) {
        if (!webhook.covers(e.code())) {
            return false;
        }
        if (!folds(e)) {
            return true;
        }
        Instant last = lastSent.get(e.code() + '\0' + e.subject());
        return last == null || !e.occurredAt().isBefore(last.plus(REPEAT_WINDOW));
    }

    private static boolean folds(SecurityEventRow e) {
        return RENEWAL_REPORTS.contains(e.code());
    }

    private void saveCursor(long was, long done) throws SQLException {
        if (done != was) {
            database.inTransaction(c -> {
                cursors.save(c, cursorKey, done, clock.instant());
                return null;
            });
        }
    }

    private boolean post(SecurityEventRow e) {
        ObjectNode body = JSON.createObjectNode();
        body.put("source", "gantry-backend");
        body.put("eventId", e.id());
        body.put("code", e.code());
        body.put("occurredAt", e.occurredAt().toString());
        body.put("subject", e.subject());
        body.put("remoteAddress", e.remoteAddress());
        body.put("detail", e.detail());
        body.put("sentAt", clock.instant().toString());
        CompletableFuture<HttpResponse<Void>> exchange = null;
        try {
            HttpRequest req = HttpRequest.newBuilder(webhook.url()).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            exchange = http.sendAsync(req, HttpResponse.BodyHandlers.discarding());
            int status = exchange.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).statusCode();
            if (status / 100 == 2) {
                remember(e);
                return true;
            }
            LOG.warn("alert webhook answered {} for event {} {}; will retry", status, e.id(), e.code());
        } catch (IOException | ExecutionException | TimeoutException ex) {
            LOG.warn("alert webhook unreachable for event {} {}: {}; will retry", e.id(), e.code(), ex.toString());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            if (exchange != null) {
                exchange.cancel(true);
            }
        }
        return false;
    }

    private void remember(SecurityEventRow e) {
        if (!folds(e)) {
            return;
        }
        if (lastSent.size() >= 10_000) {
            // Bounded by fleet size times codes anyway; forget what is outside the window.
            lastSent.values().removeIf(at -> !e.occurredAt().isBefore(at.plus(REPEAT_WINDOW)));
        }
        lastSent.put(e.code() + '\0' + e.subject(), e.occurredAt());
    }

    /**
     * Stops after the delivery in progress, without interrupting it (an interrupted thread inside H2
     * would close the database file under every other connection).
     */
    @Override
    public void close() {
        stopping = true;
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                LOG.warn("alert delivery still running at shutdown; leaving it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The URL without path or query, which may carry the webhook's secret. */
    static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/...";
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
