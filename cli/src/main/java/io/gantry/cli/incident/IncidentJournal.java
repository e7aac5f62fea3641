package io.gantry.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local incident log: one JSON object a line, appended and forced to disk before a step's
 * outcome is printed, so an interrupted playbook can be resumed (a step that has a {@code done}
 * entry is not repeated unless forced) and reviewed. Each entry: {@code at}, {@code incident}
 * (e.g. {@code key-compromise <keyId>}), {@code step}, {@code outcome} ({@code started},
 * {@code done}, {@code failed}, {@code undone}), {@code detail} and the step's {@code data}.
 */
public final class IncidentJournal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final String incident;
    private final Clock clock;

    /**
     * @param file the journal (created with its folder when missing)
     * @param incident which incident the entries belong to; a journal holds one incident
     */
    public IncidentJournal(Path file, String incident, Clock clock) throws IOException {
        this.file = file;
        this.incident = incident;
        this.clock = clock;
        for (JsonNode e : readAll(file)) {
            if (!e.path("incident").asText().equals(incident)) {
                throw new IllegalArgumentException("journal " + file + " belongs to incident '" + e.path("incident").asText()
                        + "', not '" + incident + "': use one journal per incident");
            }
        }
    }

    /** Appends one entry and forces it to disk. @return the entry */
    public synchronized ObjectNode append(String step, String outcome, String detail, JsonNode data) throws IOException {
        ObjectNode e = JSON.createObjectNode().put("at", clock.instant().toString()).put("incident", incident).put("step", step)
                .put("outcome", outcome).put("detail", detail);
        e.set("data", data == null ? JSON.createObjectNode() : data);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.write(file, (JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        return e;
    }

    /** @return every entry, oldest first */
    public List<JsonNode> entries() throws IOException {
        return readAll(file);
    }

    /** @return the newest {@code done} entry of {@code step}, unless an {@code undone} entry followed it */
    public Optional<JsonNode> done(String step) throws IOException {
        JsonNode last = null;
        for (JsonNode e : entries()) {
            if (e.path("step").asText().equals(step)) {
                String outcome = e.path("outcome").asText();
                if (outcome.equals("done")) {
                    last = e;
                } else if (outcome.equals("undone")) {
                    last = null;
                }
            }
        }
        return Optional.ofNullable(last);
    }

    /** @return the incident these entries belong to */
    public String incident() {
        return incident;
    }

    /** @return the journal file */
    public Path file() {
        return file;
    }

    private static List<JsonNode> readAll(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                // A line cut by a crash while it was written: only the last one can be, and it is ignored.
                if (n < Files.readAllLines(file, StandardCharsets.UTF_8).size()) {
                    throw new IOException("journal " + file + " line " + n + " is not JSON: " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /**
     * @param entries journal entries (or report steps) with {@code at}, {@code step}, {@code outcome}, {@code detail}
     * @return the "## Steps" section of an incident report: a markdown table of the entries that are not
     *     {@code started}, a {@code |} in a detail escaped
     */
    static String stepsMarkdown(Iterable<JsonNode> entries) {
        StringBuilder b = new StringBuilder("## Steps\n\n| at | step | outcome | detail |\n|---|---|---|---|\n");
        for (JsonNode e : entries) {
            if (!e.path("outcome").asText().equals("started")) {
                b.append("| ").append(e.path("at").asText()).append(" | ").append(e.path("step").asText()).append(" | ")
                        .append(e.path("outcome").asText()).append(" | ").append(e.path("detail").asText().replace("|", "\\|"))
                        .append(" |\n");
            }
        }
        return b.toString();
    }
}
