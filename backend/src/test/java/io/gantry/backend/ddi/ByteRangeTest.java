package io.gantry.backend.ddi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {
    @Test
    void parsesTheSingleRangeFormsHawkbitClientsSend() throws Exception {
        assertEquals(Optional.of(new ByteRange(0, 1023)), ByteRange.parse("bytes=0-1023", 5000));
        assertEquals(Optional.of(new ByteRange(4500, 4999)), ByteRange.parse("bytes=4500-", 5000));
        assertEquals(Optional.of(new ByteRange(4900, 4999)), ByteRange.parse("bytes=-100", 5000));
        assertEquals(Optional.of(new ByteRange(10, 4999)), ByteRange.parse("bytes=10-99999", 5000));
        assertEquals("bytes 0-1023/5000", new ByteRange(0, 1023).contentRange(5000));
    }

    @Test
    void ignoresWhatItDoesNotServe() throws Exception {
        assertTrue(ByteRange.parse(null, 10).isEmpty());
        assertTrue(ByteRange.parse("bytes=0-1,5-6", 10).isEmpty());
        assertTrue(ByteRange.parse("items=0-1", 10).isEmpty());
        assertTrue(ByteRange.parse("bytes=5-2", 10).isEmpty());
        assertTrue(ByteRange.parse("bytes=99999999999999999999-", 10).isEmpty());
    }

    @Test
    void refusesRangesBeyondTheEnd() {
        assertThrows(ByteRange.NotSatisfiableException.class, () -> ByteRange.parse("bytes=10-", 10));
        assertThrows(ByteRange.NotSatisfiableException.class, () -> ByteRange.parse("bytes=-0", 10));
    }
}
