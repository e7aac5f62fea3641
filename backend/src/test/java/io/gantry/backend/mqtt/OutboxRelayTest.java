package io.gantry.backend.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.TestDatabases;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push outbox between nodes, on the suite's database (H2, or PostgreSQL in the second run): two
 * relays on two connection pools to one database stand for two nodes. Each node's broker gets its
 * own commands at once and the other node's through the outbox, never its own twice; a node that
 * starts later replays nothing; a row it cannot read is skipped; old rows are deleted.
 */
class OutboxRelayTest {
    @TempDir
    Path dir;

    /** A node's broker: what it was asked to publish. */
    static final class Broker implements CommandPush {
        final List<DeviceCommand> commands = new CopyOnWriteArrayList<>();
        final List<String> alerts = new CopyOnWriteArrayList<>();

        @Override
        public void push(DeviceCommand command) {
            commands.add(command);
        }
    }

    /** Issued now: rows older than {@link OutboxRelay#RETENTION} by the relays' clock would be deleted. */
    static final Instant ISSUED = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

    static DeviceCommand checkIn(String device, long action) {
        return new DeviceCommand(DeviceCommand.CHECK_IN, device, action, ISSUED);
    }

    static void await(BooleanSupplier done, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(done.getAsBoolean(), () -> what.get() + " within 10 s");
    }

    @Test
    void eachNodeRelaysTheOthersCommandsAndAlertsOnceAndNeverItsOwn() throws Exception {
        try (Database dbA = Database.open(TestDatabases.settings(dir), dir); Database dbB = Database.open(TestDatabases.settings(dir), dir)) {
            Broker a = new Broker();
            Broker b = new Broker();
            try (OutboxRelay nodeA = OutboxRelay.start(dbA, a, a.alerts::add, Clock.systemUTC());
                    OutboxRelay nodeB = OutboxRelay.start(dbB, b, b.alerts::add, Clock.systemUTC())) {
                nodeA.push(checkIn("gw-1", 1));
                assertEquals(List.of(checkIn("gw-1", 1)), a.commands, "published on its own broker at once");
                nodeA.push(checkIn("gw-2", 2));
                await(() -> b.commands.size() == 2, () -> "node B relays node A's two commands");
                assertEquals(List.of(checkIn("gw-1", 1), checkIn("gw-2", 2)), b.commands, "in order");

                nodeB.push(checkIn("gw-3", 3));
                // Node A has read past its own rows once it relays B's later one.
                await(() -> a.commands.size() == 3, () -> "node A relays node B's command");
                assertEquals(List.of(checkIn("gw-1", 1), checkIn("gw-2", 2), checkIn("gw-3", 3)), a.commands);

                nodeB.publishFleetAlert("{\"change\":\"OPENED\",\"id\":1}");
                await(() -> a.alerts.size() == 1, () -> "node A relays node B's fleet alert");
                assertEquals(List.of("{\"change\":\"OPENED\",\"id\":1}"), a.alerts);
                assertEquals(List.of("{\"change\":\"OPENED\",\"id\":1}"), b.alerts);

                // A row of a type this version does not know (a newer node's) is skipped, not retried.
                dbA.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO push_outbox (origin, command_type, controller_id,"
                            + " ref_id, issued_at) VALUES ('newer', 'reboot', 'gw-1', 9, ?)")) {
                        ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                        return ps.executeUpdate();
                    }
                });
                Broker c = new Broker();
                try (OutboxRelay nodeC = OutboxRelay.start(dbB, c, c.alerts::add, Clock.systemUTC())) {
                    nodeA.push(checkIn("gw-4", 4));
                    await(() -> b.commands.size() == 4 && c.commands.size() == 1,
                            () -> "nodes B and C relay node A's next command (B: " + b.commands + ", C: " + c.commands + ")");
                    assertEquals(List.of(checkIn("gw-4", 4)), c.commands, "a node started later replays nothing before it");
                    assertEquals(checkIn("gw-4", 4), b.commands.get(3));
                }
            }
        }
    }

    @Test
    void rowsPastTheRetentionAreDeleted() throws Exception {
        try (Database db = Database.open(TestDatabases.settings(dir), dir)) {
            PushOutbox outbox = new PushOutbox(db);
            Instant now = Instant.parse("2026-12-04T10:00:00Z");
            outbox.append("n", new DeviceCommand(DeviceCommand.CHECK_IN, "gw-old", 1, now.minus(OutboxRelay.RETENTION).minusSeconds(1)));
            outbox.append("n", new DeviceCommand(DeviceCommand.CHECK_IN, "gw-new", 2, now));
            long newest = outbox.newest();
            assertEquals(1, outbox.deleteIssuedBefore(now.minus(OutboxRelay.RETENTION)));
            List<PushOutbox.Entry> left = outbox.after(0, 10);
            assertEquals(1, left.size());
            assertEquals("gw-new", left.get(0).command().controllerId());
            assertEquals(newest, left.get(0).id());
        }
    }
}
