package io.gantry.backend.ddi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The polling sleep as hawkBit writes it: HH:MM:SS, hours at least two digits. */
class DdiDocumentsTest {
    @Test
    void sleepIsZeroPaddedHoursMinutesSeconds() {
        assertEquals("00:00:00", DdiDocuments.hhmmss(Duration.ZERO));
        assertEquals("00:00:05", DdiDocuments.hhmmss(Duration.ofSeconds(5)));
        assertEquals("00:10:00", DdiDocuments.hhmmss(Duration.ofMinutes(10)));
        assertEquals("01:01:01", DdiDocuments.hhmmss(Duration.ofSeconds(3661)));
        assertEquals("23:59:59", DdiDocuments.hhmmss(Duration.ofSeconds(86_399)));
        assertEquals("100:00:00", DdiDocuments.hhmmss(Duration.ofHours(100)));
    }
}
