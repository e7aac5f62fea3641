package io.gantry.rollback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMonotonicCounterTest {
    @TempDir
    Path dir;

    @Test
    void valuesSurviveARestart() throws Exception {
        Path f = dir.resolve("counters.properties");
        new FileMonotonicCounter(f).advance("counter:firmware:acme-sensor:fw", 7);
        assertEquals(7, new FileMonotonicCounter(f).read("counter:firmware:acme-sensor:fw"));
        assertEquals(0, new FileMonotonicCounter(f).read("never-set"));
    }

    @Test
    void neverDecreases() throws Exception {
        FileMonotonicCounter c = new FileMonotonicCounter(dir.resolve("counters.properties"));
        c.advance("x", 5);
        assertThrows(IllegalArgumentException.class, () -> c.advance("x", 4));
        c.advance("x", 5);
        assertEquals(5, new FileMonotonicCounter(dir.resolve("counters.properties")).read("x"));
    }
}
