package io.gantry.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollingSleepTest {
    @Test
    void parsesHawkbitInterval() {
        assertEquals(Duration.ofMinutes(5), PollingSleep.parse("00:05:00", Duration.ZERO));
    }

    @Test
    void fallsBackOnGarbageAndClampsExtremes() {
        assertEquals(Duration.ofSeconds(7), PollingSleep.parse("5 minutes", Duration.ofSeconds(7)));
        assertEquals(Duration.ofSeconds(1), PollingSleep.parse("00:00:00", Duration.ofSeconds(7)));
        assertEquals(Duration.ofDays(1), PollingSleep.parse("99:00:00", Duration.ofSeconds(7)));
    }
}
