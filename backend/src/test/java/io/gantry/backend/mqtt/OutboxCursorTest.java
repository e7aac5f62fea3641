package io.gantry.backend.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each outbox row is relayed once, whatever order the ids become visible in. */
class OutboxCursorTest {
    @Test
    void rowsAtOrBelowTheStartAreNeverReplayed() {
        OutboxCursor c = new OutboxCursor(10, 3);
        assertFalse(c.firstSeen(9));
        assertFalse(c.firstSeen(10));
        assertTrue(c.firstSeen(11));
        assertFalse(c.firstSeen(11), "seen once");
        c.endRead();
        assertEquals(11, c.floor());
        assertEquals(0, c.remembered());
    }

    @Test
    void anIdCommittedLateIsStillRelayedOnceAndThoseAboveItAreNotRepeated() {
        OutboxCursor c = new OutboxCursor(0, 5);
        // id 1 was taken first but commits after 2 and 3.
        assertTrue(c.firstSeen(2));
        assertTrue(c.firstSeen(3));
        c.endRead();
        assertEquals(0, c.floor(), "the floor waits below the hole");
        assertFalse(c.firstSeen(2));
        assertFalse(c.firstSeen(3));
        assertTrue(c.firstSeen(1));
        c.endRead();
        assertEquals(3, c.floor());
        assertEquals(0, c.remembered());
    }

    @Test
    void aHoleThatOutlivesItsPatienceIsGivenUp() {
        OutboxCursor c = new OutboxCursor(0, 3);
        assertTrue(c.firstSeen(2));
        c.endRead();
        c.endRead();
        assertEquals(0, c.floor());
        c.endRead();
        assertEquals(2, c.floor(), "a rolled-back id 1 no longer holds the floor");
        assertFalse(c.firstSeen(1), "given up: not relayed if it ever appears");
        assertThrows(IllegalArgumentException.class, () -> new OutboxCursor(0, 0));
    }
}
