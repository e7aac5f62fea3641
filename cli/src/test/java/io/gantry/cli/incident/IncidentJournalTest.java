package io.gantry.cli.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incident journal: what resuming a playbook reads back. */
class IncidentJournalTest {
    @TempDir
    Path tmp;

    @Test
    void aDoneStepIsFoundAgainAfterReopeningAndAnUndoCancelsIt() throws Exception {
        Path file = tmp.resolve("j/incident.jsonl");
        IncidentJournal j = new IncidentJournal(file, "key-compromise k", Clock.systemUTC());
        j.append("freeze", "started", "", null);
        j.append("freeze", "done", "paused [1]", IncidentStep.JSON.createObjectNode().put("n", 1));
        IncidentJournal reopened = new IncidentJournal(file, "key-compromise k", Clock.systemUTC());
        assertEquals("paused [1]", reopened.done("freeze").orElseThrow().path("detail").asText());
        assertEquals(1, reopened.done("freeze").orElseThrow().at("/data/n").asInt());
        assertTrue(reopened.done("resign").isEmpty());
        reopened.append("freeze", "undone", "unfreeze", null);
        assertTrue(reopened.done("freeze").isEmpty());
    }

    @Test
    void aJournalBelongsToOneIncident() throws Exception {
        Path file = tmp.resolve("incident.jsonl");
        new IncidentJournal(file, "key-compromise a", Clock.systemUTC()).append("freeze", "done", "", null);
        assertThrows(IllegalArgumentException.class, () -> new IncidentJournal(file, "key-compromise b", Clock.systemUTC()));
    }

    @Test
    void aLastLineCutByACrashIsIgnoredButACorruptEarlierLineIsNot() throws Exception {
        Path file = tmp.resolve("incident.jsonl");
        IncidentJournal j = new IncidentJournal(file, "x", Clock.systemUTC());
        j.append("report", "done", "ok", null);
        Files.writeString(file, "{\"at\":\"2026-", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(1, j.entries().size());
        Files.writeString(file, "\n{\"step\":\"late\"}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThrows(java.io.IOException.class, j::entries);
    }
}
