package io.gantry.backend.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.backend.db.AlertDeliveryRepository;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.SecurityEventRow;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifies operators of security events that need a person (a device's certificate renewal
 * escalated or in emergency, revocations, release rejections): posts each such event as one JSON
 * document to the operator's webhook, in event order, at least once.
 *
 * <p>The security event table is the queue: a cursor per webhook ({@code alert_delivery}) moves only
 * after the webhook answered 2xx, so a webhook that is down gets every alert once it is back, also
 * across backend restarts; a failing webhook is retried with doubling waits up to 5 minutes. A new
 * webhook starts after the newest event present when it was first configured (no replay of
 * history). Events the table cap deleted before delivery are lost, which the log says.
 */
public final class AlertDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 100;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final AlertWebhook webhook;
    private final Database database;
    private final SecurityEventRepository events;
    private final AlertDeliveryRepository cursors;
    private final Clock clock;
    private final HttpClient http;
    private ScheduledExecutorService executor;
    private int failures;

    /**
     * @param webhook where and what to send
     * @param database the backend's database (security events and the delivery cursor)
     * @param clock time of cursor updates and of the {@code sentAt} field
     */
    public AlertDispatcher(AlertWebhook webhook, Database database, Clock clock) {
        this.webhook = webhook;
        this.database = database;
        this.events = new SecurityEventRepository();
        this.cursors = new AlertDeliveryRepository();
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Fixes the starting point and begins delivering on a background thread. */
    public void start() throws SQLException {
        initCursor();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gantry-alerts");
            t.setDaemon(true);
            return t;
        });
        executor.schedule(this::runAndReschedule, 0, TimeUnit.MILLISECONDS);
        LOG.info("operator alerts for {} event codes go to {}", webhook.codes().size(), webhook.url());
    }

    /** A webhook seen for the first time starts after the newest event now stored. */
    void initCursor() throws SQLException {
        String key = webhook.url().toString();
        database.inTransaction(c -> {
            if (cursors.cursor(c, key).isEmpty()) {
                cursors.save(c, key, events.maxId(c), clock.instant());
            }
            return null;
        });
    }

    private void runAndReschedule() {
        boolean ok;
        try {
            ok = deliverPending();
        } catch (RuntimeException e) {
            LOG.error("alert delivery failed unexpectedly", e);
            ok = false;
        }
        failures = ok ? 0 : failures + 1;
        Duration wait = ok ? webhook.interval() : backoff(failures);
        if (!executor.isShutdown()) {
            executor.schedule(this::runAndReschedule, wait.toMillis(), TimeUnit.MILLISECONDS);
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
        String key = webhook.url().toString();
        try {
            while (true) {
                long cursor = database.inTransaction(c -> cursors.cursor(c, key).orElse(0));
                List<SecurityEventRow> batch = database.inTransaction(c -> events.after(c, cursor, BATCH));
                if (batch.isEmpty()) {
                    return true;
                }
                if (batch.get(0).id() > cursor + 1 && cursor > 0) {
                    LOG.warn("security events {}..{} were deleted (table cap) before alerting on them", cursor + 1,
                            batch.get(0).id() - 1);
                }
                long done = cursor;
                try {
                    for (SecurityEventRow e : batch) {
                        if (webhook.codes().contains(e.code()) && !post(e)) {
                            return false;
                        }
                        done = e.id();
                    }
                } finally {
                    saveCursor(key, cursor, done);
                }
            }
        } catch (SQLException e) {
            LOG.error("alert delivery cannot read or move its cursor", e);
            return false;
        }
    }

    private void saveCursor(String key, long was, long done) throws SQLException {
        if (done != was) {
            database.inTransaction(c -> {
                cursors.save(c, key, done, clock.instant());
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
        try {
            HttpRequest req = HttpRequest.newBuilder(webhook.url()).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                return true;
            }
            LOG.warn("alert webhook answered {} for event {} {}; will retry", status, e.id(), e.code());
        } catch (IOException ex) {
            LOG.warn("alert webhook unreachable for event {} {}: {}; will retry", e.id(), e.code(), ex.toString());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
