package io.gantry.backend.mqtt;

import java.util.TreeSet;

/**
 * Which rows of the push outbox one node has already handled, so it relays each exactly once
 * although ids may become visible out of order (two nodes insert at once and the later id commits
 * first). Every id up to {@link #floor()} is handled; ids above it that were seen are remembered
 * until the ids below them arrive. An id still missing after {@code patience} reads is given up
 * (a rolled-back insert leaves such a hole for good), so the set stays small.
 */
final class OutboxCursor {
    private final int patience;
    private final TreeSet<Long> seenAbove = new TreeSet<>();
    private long floor;
    private int readsWithHole;

    /**
     * @param floor the highest id already handled (at start: the newest row, which this node does not replay)
     * @param patience reads a missing id is waited for
     */
    OutboxCursor(long floor, int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1: " + patience);
        }
        this.floor = floor;
        this.patience = patience;
    }

    /** @return the highest id such that it and every id below it are handled: read rows above it */
    long floor() {
        return floor;
    }

    /** @return whether {@code id} is new to this node (and from now on handled) */
    boolean firstSeen(long id) {
        return id > floor && seenAbove.add(id);
    }

    /** Ends one read: moves the floor over handled ids, and over a hole that outlived its patience. */
    void endRead() {
        advance();
        if (seenAbove.isEmpty()) {
            readsWithHole = 0;
        } else if (++readsWithHole >= patience) {
            floor = seenAbove.first() - 1;
            readsWithHole = 0;
            advance();
        }
    }

    /** @return how many ids above the floor are remembered */
    int remembered() {
        return seenAbove.size();
    }

    private void advance() {
        while (!seenAbove.isEmpty() && seenAbove.first() == floor + 1) {
            floor = seenAbove.pollFirst();
        }
    }
}
