package io.gantry.backend.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.verify.RejectionCode;
import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.testing.TestClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operator alerts from the security event table to a real loopback webhook, with a real database. */
class AlertDispatcherTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    @TempDir
    Path dir;
    Database database;
    SecurityEvents events;
    WebhookReceiver webhook;

    @BeforeEach
    void setUp() throws Exception {
        database = TestDatabases.open(dir.resolve("db"));
        events = new SecurityEvents(database, new SecurityEventRepository(), CLOCK, 1_000);
        webhook = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        webhook.close();
        database.close();
    }

    AlertDispatcher dispatcher() throws Exception {
        // As start() without its background thread: the tests drive the delivery rounds themselves.
        AlertDispatcher d = new AlertDispatcher(AlertWebhook.to(webhook.url()), database, CLOCK);
        d.initCursor();
        return d;
    }

    @Test
    void alertsArePostedInOrderAsJsonAndOtherEventsAreNot() throws Exception {
        events.record(SecurityEventCode.CERT_RENEWAL_ESCALATED, "old-gw", "10.0.0.1", "before the webhook existed");
        try (AlertDispatcher d = dispatcher()) {
            events.record(SecurityEventCode.TLS_HANDSHAKE_FAILED, null, "10.0.0.9", "no client certificate");
            events.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-7", "10.0.0.7", "certificate expires 2026-12-01; last error: EST_UNAVAILABLE");
            events.record(RejectionCode.ROLLBACK, "gw-8", "10.0.0.8", "release 1.0.0 is older than installed 1.2.0");
            assertTrue(d.deliverPending());
            assertEquals(List.of("CERT_RENEWAL_EMERGENCY", "ROLLBACK"), webhook.codes(),
                    "no history from before the webhook, no handshake noise, event order kept");
            JsonNode first = webhook.received.get(0);
            assertEquals("gw-7", first.get("subject").asText());
            assertEquals("10.0.0.7", first.get("remoteAddress").asText());
            assertTrue(first.get("detail").asText().contains("EST_UNAVAILABLE"));
            assertEquals("2026-11-26T12:00:00Z", first.get("occurredAt").asText());
            assertTrue(first.get("eventId").asLong() > 0);
            assertTrue(d.deliverPending());
            assertEquals(2, webhook.received.size(), "each alert once");
        }
    }

    @Test
    void aWebhookThatIsDownGetsEveryAlertOnceItIsBackAlsoAfterARestart() throws Exception {
        try (AlertDispatcher d = dispatcher()) {
            events.record(SecurityEventCode.CERT_RENEWAL_ESCALATED, "gw-1", null, "expires in 29 days");
            webhook.status = 503;
            assertFalse(d.deliverPending(), "a failed delivery is reported, not skipped");
            events.record(SecurityEventCode.CERTIFICATE_REVOKED, "gw-2", null, "revoked by operator");
        }
        webhook.status = 204;
        try (AlertDispatcher restarted = dispatcher()) {
            assertTrue(restarted.deliverPending());
            assertEquals(List.of("CERT_RENEWAL_ESCALATED", "CERTIFICATE_REVOKED"), webhook.codes());
        }
        try (AlertDispatcher again = dispatcher()) {
            assertTrue(again.deliverPending());
            assertEquals(2, webhook.received.size(), "nothing is sent twice once acknowledged");
        }
    }

    @Test
    void repeatedRenewalReportsOfADeviceAreFoldedWithinTheRepeatWindow() throws Exception {
        TestClock moving = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
        SecurityEvents timed = new SecurityEvents(database, new SecurityEventRepository(), moving, 1_000);
        try (AlertDispatcher d = new AlertDispatcher(AlertWebhook.to(webhook.url()), database, moving)) {
            d.initCursor();
            timed.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-7", null, "attempt 1 failed");
            moving.advance(Duration.ofMinutes(10));
            timed.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-7", null, "attempt 2 failed");
            timed.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-9", null, "another gateway");
            assertTrue(d.deliverPending());
            assertEquals(List.of("attempt 1 failed", "another gateway"),
                    webhook.received.stream().map(n -> n.get("detail").asText()).toList());
            moving.advance(AlertDispatcher.REPEAT_WINDOW);
            timed.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-7", null, "still failing an hour later");
            assertTrue(d.deliverPending());
            assertEquals(3, webhook.received.size(), "a repeat after the window is an alert again");

            timed.record(SecurityEventCode.CERTIFICATE_REVOKED, "operator alice", null, "revoked 2a (device gw-2): keyCompromise");
            timed.record(SecurityEventCode.CERTIFICATE_REVOKED, "operator alice", null, "revoked 5b (device gw-5): keyCompromise");
            assertTrue(d.deliverPending());
            assertEquals(5, webhook.received.size(), "every revocation is news, even by the same operator");
        }
    }

    @Test
    void theWebhookSecretStaysOutOfLogsAndTheDatabase() throws Exception {
        URI secret = URI.create("https://hooks.example.com:8443/services/T000/B000/s3cr3t?token=abc");
        assertEquals("https://hooks.example.com:8443/...", AlertDispatcher.redacted(secret));
        try (AlertDispatcher d = new AlertDispatcher(AlertWebhook.to(secret), database, CLOCK)) {
            d.initCursor();
        }
        String keys = database.inTransaction(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT webhook FROM alert_delivery")) {
                StringBuilder all = new StringBuilder();
                while (rs.next()) {
                    all.append(rs.getString(1));
                }
                return all.toString();
            }
        });
        assertTrue(keys.startsWith("sha256:") && !keys.contains("s3cr3t"), keys);
    }

    @Test
    void startedDispatcherDeliversInTheBackgroundAndCloseDoesNotWaitForTheNextRound() throws Exception {
        AlertDispatcher d = new AlertDispatcher(new AlertWebhook(webhook.url(), AlertWebhook.DEFAULT_CODES,
                Duration.ofSeconds(1)), database, CLOCK);
        d.start();
        events.record(RejectionCode.ROLLBACK, "gw-3", null, "replayed release");
        for (int i = 0; i < 200 && webhook.received.isEmpty(); i++) {
            Thread.sleep(25);
        }
        assertEquals(List.of("ROLLBACK"), webhook.codes(), "delivered by the background rounds");
        // The next round is due a second after the last one; close must not sit it out (it used to wait for it).
        long before = System.nanoTime();
        d.close();
        assertTrue(System.nanoTime() - before < Duration.ofMillis(900).toNanos(), "close waited for the next round");
    }

    @Test
    void retriesBackOffFromTheIntervalUpToFiveMinutes() throws Exception {
        AlertDispatcher d = new AlertDispatcher(new AlertWebhook(webhook.url(), Set.of(RejectionCode.ROLLBACK), Duration.ofSeconds(5)),
                database, CLOCK);
        assertEquals(Duration.ofSeconds(10), d.backoff(1));
        assertEquals(Duration.ofSeconds(80), d.backoff(4));
        assertEquals(Duration.ofMinutes(5), d.backoff(7));
        assertEquals(Duration.ofMinutes(5), d.backoff(400));
    }

    @Test
    void onlyHttpsOrALoopbackRelayAndSomeCodes() {
        assertThrows(IllegalArgumentException.class, () -> AlertWebhook.to(URI.create("http://alerts.example.com/hook")));
        assertThrows(IllegalArgumentException.class, () -> AlertWebhook.to(URI.create("ftp://127.0.0.1/hook")));
        assertThrows(IllegalArgumentException.class,
                () -> new AlertWebhook(URI.create("https://alerts.example.com/hook"), Set.of(), Duration.ofSeconds(5)));
        assertEquals("https", AlertWebhook.to(URI.create("https://alerts.example.com/hook")).url().getScheme());
        assertTrue(AlertWebhook.DEFAULT_CODES.containsAll(Set.of(SecurityEventCode.CERT_RENEWAL_ESCALATED,
                SecurityEventCode.CERT_RENEWAL_EMERGENCY, RejectionCode.BAD_SIGNATURE, RejectionCode.ROLLBACK,
                SecurityEventCode.CERTIFICATE_REVOKED)));
        assertFalse(AlertWebhook.DEFAULT_CODES.contains(SecurityEventCode.TLS_HANDSHAKE_FAILED));
    }

    /**
     * Two backend nodes on one database, each with the dispatcher for the same webhook, delivering at
     * the same moment to a slow relay: each alert is posted once, not once per node.
     */
    @Test
    void twoNodesOnOneDatabasePostEachAlertOnce() throws Exception {
        try (Database nodeB = TestDatabases.open(dir.resolve("db"));
                AlertDispatcher a = dispatcher();
                AlertDispatcher b = new AlertDispatcher(AlertWebhook.to(webhook.url()), nodeB, CLOCK)) {
            b.initCursor();
            for (int i = 0; i < 3; i++) {
                events.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-" + i, "10.0.0." + i, "expires soon");
            }
            webhook.delayMillis = 300;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<Boolean>> rounds = List.of(
                        nodes.submit(() -> {
                            start.await();
                            return a.deliverPending();
                        }),
                        nodes.submit(() -> {
                            start.await();
                            return b.deliverPending();
                        }));
                for (java.util.concurrent.Future<Boolean> r : rounds) {
                    assertTrue(r.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
            } finally {
                nodes.shutdown();
            }
            assertTrue(a.deliverPending());
            assertTrue(b.deliverPending());
            assertEquals(List.of("gw-0", "gw-1", "gw-2"), webhook.received.stream().map(n -> n.get("subject").asText()).toList(),
                    "each alert once and in order, whichever node posted it");
        }
    }

    /**
     * Another node's event took its id first but commits after a later one: the round that sees the
     * gap stops before it, and the next posts both in id order; nothing is skipped.
     */
    @Test
    void anEventCommittedAfterALaterOneIsStillPosted() throws Exception {
        events.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-first", "10.0.0.1", "before");
        try (AlertDispatcher d = dispatcher()) {
            events.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-a", "10.0.0.2", "committed");
            assertTrue(d.deliverPending());
            try (java.sql.Connection slow = database.dataSource().getConnection()) {
                slow.setAutoCommit(false);
                new SecurityEventRepository().insert(slow, CLOCK.instant(), "CERT_RENEWAL_EMERGENCY", "gw-slow", "10.0.0.3", "late");
                events.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-b", "10.0.0.4", "committed first");
                assertTrue(d.deliverPending());
                assertEquals(List.of("gw-a"), subjects(), "not past the uncommitted id");
                slow.commit();
            }
            assertTrue(d.deliverPending());
            assertEquals(List.of("gw-a", "gw-slow", "gw-b"), subjects(), "every alert, in id order");
        }
    }

    /** A gap that stays (a rolled-back insert) holds delivery for one round only. */
    @Test
    void aGapThatStaysIsPassedAfterOneRound() throws Exception {
        events.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-first", "10.0.0.1", "before");
        try (AlertDispatcher d = dispatcher()) {
            try (java.sql.Connection lost = database.dataSource().getConnection()) {
                lost.setAutoCommit(false);
                new SecurityEventRepository().insert(lost, CLOCK.instant(), "CERT_RENEWAL_EMERGENCY", "gw-lost", "10.0.0.3", "x");
                lost.rollback();
            }
            events.record(SecurityEventCode.CERT_RENEWAL_EMERGENCY, "gw-after", "10.0.0.4", "committed");
            assertTrue(d.deliverPending());
            assertEquals(List.of(), subjects(), "the first round waits at the gap");
            assertTrue(d.deliverPending());
            assertEquals(List.of("gw-after"), subjects(), "the next passes it");
        }
    }

    private List<String> subjects() {
        return webhook.received.stream().map(n -> n.get("subject").asText()).toList();
    }
}
