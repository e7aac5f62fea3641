package io.gantry.backend.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polls of a known target are written behind (TargetRepository): the first poll writes at once,
 * later ones at the next flush, and reading the target writes its noted time first.
 */
class TargetLastSeenTest {
    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

    /** @return last_seen as stored, read past the repository (so nothing is flushed by reading) */
    private static Instant stored(Database db, String id) throws Exception {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seen FROM targets WHERE controller_id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Timestamps.get(rs, "last_seen") : null;
                }
            }
        });
    }

    private static void poll(Database db, TargetRepository targets, String id, Instant at) throws Exception {
        db.inTransaction(c -> {
            targets.recordPoll(c, id, at);
            return null;
        });
    }

    @Test
    void firstPollWritesAtOnceLaterPollsAtTheFlush(@TempDir Path dir) throws Exception {
        TargetRepository targets = new TargetRepository();
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            poll(db, targets, "dev-1", T0);
            assertEquals(T0, stored(db, "dev-1"), "first contact creates the row in the poll's transaction");
            poll(db, targets, "dev-1", T0.plusSeconds(5));
            poll(db, targets, "dev-1", T0.plusSeconds(3));
            assertEquals(T0, stored(db, "dev-1"), "a later poll is only noted");
            assertEquals(1, targets.flushLastSeen(db));
            assertEquals(T0.plusSeconds(5), stored(db, "dev-1"), "the newest noted time, not the last one noted");
            assertEquals(0, targets.flushLastSeen(db), "nothing left to write");
        }
    }

    @Test
    void readingATargetWritesItsNotedTimeFirst(@TempDir Path dir) throws Exception {
        TargetRepository targets = new TargetRepository();
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            poll(db, targets, "dev-2", T0);
            poll(db, targets, "dev-2", T0.plusSeconds(7));
            TargetRow row = db.inTransaction(c -> targets.find(c, "dev-2")).orElseThrow();
            assertEquals(T0, row.firstSeen());
            assertEquals(T0.plusSeconds(7), row.lastSeen());
            assertEquals(T0.plusSeconds(7), stored(db, "dev-2"));
            assertEquals(0, targets.flushLastSeen(db), "already written by the read");
        }
    }

    @Test
    void flushNeverMovesLastSeenBackwards(@TempDir Path dir) throws Exception {
        TargetRepository node1 = new TargetRepository();
        TargetRepository node2 = new TargetRepository();
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            poll(db, node1, "dev-3", T0);
            poll(db, node1, "dev-3", T0.plusSeconds(2));
            poll(db, node2, "dev-3", T0.plusSeconds(9)); // first contact on the second node: written at once
            node1.flushLastSeen(db);
            assertEquals(T0.plusSeconds(9), stored(db, "dev-3"), "the older time of the other node does not win");
        }
    }

    @Test
    void aTargetWhoseRowVanishedIsCreatedAgainByItsNextPoll(@TempDir Path dir) throws Exception {
        TargetRepository targets = new TargetRepository();
        try (Database db = TestDatabases.open(dir.resolve("db"))) {
            poll(db, targets, "dev-4", T0);
            db.inTransaction(c -> c.createStatement().executeUpdate("DELETE FROM targets WHERE controller_id = 'dev-4'"));
            poll(db, targets, "dev-4", T0.plusSeconds(1));
            targets.flushLastSeen(db); // finds no row: forgets the target
            assertNull(stored(db, "dev-4"));
            poll(db, targets, "dev-4", T0.plusSeconds(2));
            assertEquals(T0.plusSeconds(2), stored(db, "dev-4"), "the next poll writes at once again");
        }
    }
}
