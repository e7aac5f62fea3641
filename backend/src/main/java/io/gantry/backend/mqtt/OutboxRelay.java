package io.gantry.backend.mqtt;

import io.gantry.backend.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands for devices (and fleet alerts for operators) on every backend node's embedded broker (docs/mqtt.md, "Several backend
 * nodes"). {@link #push} publishes to this node's broker at once and appends the command to the
 * shared {@code push_outbox} table; every {@value #INTERVAL_MILLIS} ms each node reads the rows
 * other nodes appended since its last read and publishes them to its own broker, each once
 * ({@link OutboxCursor}). A device connected to any node is therefore pushed within about one
 * interval plus a database round trip. Rows older than {@link #RETENTION} are deleted. A database
 * or broker failure is logged and never reaches the caller: devices still learn at their next poll.
 */
public final class OutboxRelay implements CommandPush, AutoCloseable {
    /** How often each node reads the outbox. */
    public static final long INTERVAL_MILLIS = 250;
    /** How long rows are kept. */
    public static final Duration RETENTION = Duration.ofMinutes(10);
    /** Reads a missing id is waited for (a rolled-back insert): ten seconds. */
    static final int PATIENCE = 40;
    private static final int BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private final PushOutbox outbox;
    private final CommandPush local;
    private final Consumer<String> localAlerts;
    private final Clock clock;
    private final String origin = UUID.randomUUID().toString();
    private final OutboxCursor cursor;
    private final ScheduledExecutorService thread;
    private boolean failing;

    private OutboxRelay(PushOutbox outbox, CommandPush local, Consumer<String> localAlerts, Clock clock, long newest) {
        this.outbox = outbox;
        this.local = local;
        this.localAlerts = localAlerts;
        this.clock = clock;
        this.cursor = new OutboxCursor(newest, PATIENCE);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gantry-push-relay");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts relaying rows written from now on (older ones are not replayed).
     *
     * @param database the database every node shares
     * @param local this node's broker
     * @param localAlerts publishes a fleet alert change on this node's broker without throwing
     * @param clock stamps alert rows and decides which rows are past {@link #RETENTION}
     * @throws java.sql.SQLException if the outbox cannot be read
     */
    public static OutboxRelay start(Database database, CommandPush local, Consumer<String> localAlerts, Clock clock)
            throws java.sql.SQLException {
        PushOutbox outbox = new PushOutbox(database);
        OutboxRelay relay = new OutboxRelay(outbox, Objects.requireNonNull(local, "local"),
                Objects.requireNonNull(localAlerts, "localAlerts"), Objects.requireNonNull(clock, "clock"), outbox.newest());
        relay.thread.scheduleWithFixedDelay(relay::relay, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        relay.thread.scheduleWithFixedDelay(relay::expire, 1, 60, TimeUnit.SECONDS);
        return relay;
    }

    /** @return this node's id in the outbox (random per start) */
    public String origin() {
        return origin;
    }

    @Override
    public void push(DeviceCommand command) {
        local.push(command);
        try {
            // On the relay's thread: the request or scheduler that pushes never waits for the database.
            thread.execute(() -> append(command));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.debug("MQTT: relay closed, {} to {} not shared with other nodes", command.type(), command.controllerId());
        }
    }

    /** Publishes a fleet alert change on this node's broker and shares it with the other nodes, as {@link #push}. */
    public void publishFleetAlert(String json) {
        localAlerts.accept(json);
        try {
            thread.execute(() -> {
                try {
                    outbox.appendAlert(origin, json, clock.instant());
                } catch (Exception e) {
                    LOG.warn("MQTT: fleet alert not written to the push outbox; operators on other nodes' brokers miss it: {}",
                            e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.debug("MQTT: relay closed, fleet alert not shared with other nodes");
        }
    }

    private void append(DeviceCommand command) {
        try {
            outbox.append(origin, command);
        } catch (Exception e) {
            LOG.warn("MQTT: {} to {} not written to the push outbox; devices on other nodes learn at their next poll: {}",
                    command.type(), command.controllerId(), e.toString());
        }
    }

    /** One read of the outbox: publishes other nodes' new rows to this node's broker. */
    void relay() {
        try {
            List<PushOutbox.Entry> rows = outbox.after(cursor.floor(), BATCH);
            for (PushOutbox.Entry row : rows) {
                if (cursor.firstSeen(row.id()) && !origin.equals(row.origin())) {
                    if (row.command() != null) {
                        local.push(row.command());
                    } else if (row.alertJson() != null) {
                        localAlerts.accept(row.alertJson());
                    }
                }
            }
            cursor.endRead();
            if (failing) {
                LOG.info("MQTT: the push outbox is readable again");
                failing = false;
            }
        } catch (Exception e) {
            if (!failing) {
                LOG.warn("MQTT: cannot read the push outbox; pushes from other nodes wait: {}", e.toString());
                failing = true;
            }
        }
    }

    private void expire() {
        try {
            outbox.deleteIssuedBefore(clock.instant().minus(RETENTION));
        } catch (Exception e) {
            LOG.warn("MQTT: cannot delete old push outbox rows: {}", e.toString());
        }
    }

    /** Stops relaying (commands appended but not yet written are dropped). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
