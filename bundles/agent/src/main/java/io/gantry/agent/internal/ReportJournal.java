package io.gantry.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Final reports not yet accepted by the backend, one file per action in the agent's data area. A
 * report is written before it is sent and removed once the backend took it, so a backend that is
 * down, or a gateway restarted right after an install, loses no outcome: the agent sends it again
 * instead of applying the same action a second time (which would read as a ROLLBACK).
 */
final class ReportJournal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACTION_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private final Path dir;

    /** A final report: {@code closed} with {@code success} or {@code failure}, and its detail lines. */
    record Report(String actionId, String execution, String finished, List<String> details) {
    }

    ReportJournal(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Stores the report durably (temporary file, forced, renamed) before it is sent. */
    void store(Report r) throws IOException {
        ObjectNode n = JSON.createObjectNode().put("actionId", r.actionId()).put("execution", r.execution())
                .put("finished", r.finished());
        r.details().forEach(n.putArray("details")::add);
        Path tmp = Files.createTempFile(dir, "report", ".part");
        try (var out = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            out.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(n)));
            out.force(true);
        }
        Files.move(tmp, file(r.actionId()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** @return the stored report of this action, if one waits */
    Optional<Report> find(String actionId) throws IOException {
        Path f = file(actionId);
        return Files.exists(f) ? Optional.of(read(f)) : Optional.empty();
    }

    /** @return every report that waits, oldest action id first */
    List<Report> pending() throws IOException {
        List<Report> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : files) {
                out.add(read(f));
            }
        }
        out.sort((a, b) -> a.actionId().compareTo(b.actionId()));
        return out;
    }

    /** The backend took the report (or the action is closed or gone): forget it. */
    void remove(String actionId) throws IOException {
        Files.deleteIfExists(file(actionId));
    }

    private Path file(String actionId) {
        if (!ACTION_ID.matcher(actionId).matches()) {
            throw new IllegalArgumentException("not an action id: " + actionId);
        }
        return dir.resolve(actionId + ".json");
    }

    private static Report read(Path f) throws IOException {
        JsonNode n = JSON.readTree(Files.readAllBytes(f));
        List<String> details = new ArrayList<>();
        n.path("details").forEach(d -> details.add(d.asText()));
        return new Report(n.path("actionId").asText(), n.path("execution").asText(), n.path("finished").asText(), details);
    }
}
