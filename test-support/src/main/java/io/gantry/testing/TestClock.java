package io.gantry.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, for code that takes its time from an injected {@link Clock}: renewal
 * windows, expiry, rate limits and back-off become testable without sleeping. Always UTC; safe to
 * read from other threads while a test moves it.
 */
public final class TestClock extends Clock {
    private volatile Instant now;

    /** @param start the first instant it tells */
    public TestClock(Instant start) {
        this.now = start;
    }

    /** Moves the clock forward by {@code d} (backward if {@code d} is negative). */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** @return this clock: it tells UTC whatever zone is asked for */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
