package io.gantry.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One step of a playbook: journaled locally as {@code started}, then {@code done} with its result
 * or {@code failed} with the reason, and recorded on the backend ({@code POST /rest/v1/incidents/journal},
 * an {@code INCIDENT_STEP} security event). A step with a {@code done} entry is not repeated
 * unless {@code --force}, so a playbook interrupted half-way is resumed by running it again.
 * A step is a picocli subcommand: its command name is its name in the journal, and {@link RunsOnce}
 * marks the steps that must not repeat.
 */
abstract class IncidentStep implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper();
    @Mixin
    IncidentOptions options = new IncidentOptions();
    @Option(names = "--force", description = "run the step again although the journal says it is done")
    boolean force;

    /** What the step does and what it learned. */
    record Result(String summary, JsonNode data) {
    }

    /** @return the incident this step belongs to, e.g. {@code key-compromise <keyId>} */
    abstract String incident();

    /** @return the step's name in the journal: its subcommand name ({@code @Command(name = ...)}) */
    String step() {
        return getClass().getAnnotation(Command.class).name();
    }

    /** @return whether a done entry means the step must not run again: the step is marked {@link RunsOnce} */
    boolean runsOnce() {
        return getClass().isAnnotationPresent(RunsOnce.class);
    }

    abstract Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception;

    @Override
    public Integer call() throws Exception {
        IncidentJournal journal = new IncidentJournal(options.journal, incident(), Clock.systemUTC());
        if (runsOnce() && !force && journal.done(step()).isPresent()) {
            JsonNode done = journal.done(step()).get();
            System.out.println(step() + ": already done at " + done.path("at").asText() + " (" + done.path("detail").asText()
                    + "); --force to run it again");
            return 0;
        }
        ManagementClient client = options.client();
        journal.append(step(), "started", "", null);
        Result r;
        try {
            r = run(client, journal, System.out);
        } catch (Exception e) {
            journal.append(step(), "failed", e.getMessage() == null ? e.toString() : e.getMessage(), null);
            audit(client, "failed: " + e.getMessage());
            throw e;
        }
        journal.append(step(), "done", r.summary(), r.data());
        audit(client, r.summary());
        if (options.json()) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r.data()));
        }
        System.out.println(step() + ": " + r.summary());
        return 0;
    }

    /** Records the step on the backend too; a backend that cannot be reached leaves the local entry as the record. */
    private void audit(ManagementClient client, String detail) {
        ObjectNode body = JSON.createObjectNode().put("incident", incident()).put("step", step()).put("detail", detail);
        try {
            client.post("incidents/journal", body, 200);
        } catch (IOException | ManagementException e) {
            System.err.println("warning: the backend did not record the step (" + e.getMessage() + "); the local journal did");
        }
    }
}
