package io.gantry.backend.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A starting node deletes only staging files nobody has written for an hour, not another node's upload in progress. */
class LeftoversTest {
    @TempDir
    Path dir;

    @Test
    void abandonedFilesGoAndFilesInUseStay() throws Exception {
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        Path abandoned = Files.writeString(dir.resolve("upload1.zip"), "crashed");
        Files.setLastModifiedTime(abandoned, FileTime.from(now.minus(Leftovers.ABANDONED_AFTER).minusSeconds(1)));
        Path inUse = Files.writeString(dir.resolve("upload2.zip"), "another node is writing");
        Files.setLastModifiedTime(inUse, FileTime.from(now.minus(Duration.ofMinutes(5))));

        assertEquals(1, Leftovers.deleteAbandoned(dir, now));
        assertFalse(Files.exists(abandoned));
        assertTrue(Files.exists(inUse));
    }
}
