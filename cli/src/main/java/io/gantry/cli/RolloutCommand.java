package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry rollout[s] create|list|show|pause|resume|cancel|dry-run|watch}: rollouts through the management API (docs/rollouts.md). */
@Command(name = "rollout", aliases = "rollouts", description = "Send a release to a filtered fleet in groups (docs/rollouts.md, docs/cli.md).",
        subcommands = {RolloutWatch.class, RolloutCommand.Create.class, RolloutCommand.DryRun.class, RolloutCommand.ListAll.class,
            RolloutCommand.Show.class, RolloutCommand.Pause.class, RolloutCommand.Resume.class, RolloutCommand.Cancel.class})
final class RolloutCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RolloutCommand() {
    }

    /** The rollout request, shared by create and dry-run. */
    static final class Spec {
        @Option(names = "--name", required = true, description = "a label for the rollout")
        String name;
        @Option(names = "--release", required = true, description = "release id from publish")
        long release;
        @Option(names = "--device-type", description = "only devices reporting this deviceType attribute")
        String deviceType;
        @Option(names = "--attribute", description = "only devices whose attribute equals this (name=value; repeatable)")
        Map<String, String> attributes = Map.of();
        @Option(names = "--tag", description = "only devices carrying this tag (repeatable)")
        List<String> tags = new ArrayList<>();
        @Option(names = "--canary", description = "devices in the first group (default: ${DEFAULT-VALUE})", defaultValue = "0")
        int canary;
        @Option(names = "--percentages", split = ",", description = "cumulative percent covered after each further group, e.g. 50,100")
        List<Integer> percentages = new ArrayList<>();
        @Option(names = "--success-threshold", description = "percent of a group that must succeed before the next starts")
        Integer successThreshold;
        @Option(names = "--error-count", description = "pause after this many failures")
        Integer errorCount;
        @Option(names = "--error-percent", description = "pause when this percent of closed actions failed")
        Integer errorPercent;
        @Option(names = "--min-sample", description = "closed actions needed before --error-percent is judged")
        Integer minSample;
        @Option(names = "--max-per-minute", description = "at most this many devices started per minute")
        Integer maxPerMinute;
        @Option(names = "--window", description = "daily maintenance window HH:MM-HH:MM in each device's local time")
        String window;
        @Option(names = "--zone-attribute", description = "attribute naming a device's time zone (default timezone; else UTC)")
        String zoneAttribute;
        @Option(names = "--cert-hold-days", description = "hold devices whose certificate expires within this many days")
        Integer certHoldDays;
        @Option(names = "--type", description = "action type: forced, soft or downloadonly")
        String type;

        ObjectNode toJson() {
            ObjectNode n = JSON.createObjectNode().put("name", name).put("releaseId", release);
            ObjectNode f = n.putObject("filter");
            if (deviceType != null) {
                f.put("deviceType", deviceType);
            }
            attributes.forEach(f.putObject("attributes")::put);
            tags.forEach(f.putArray("tags")::add);
            n.put("canary", canary);
            percentages.forEach(n.putArray("percentages")::add);
            if (successThreshold != null) {
                n.put("successThreshold", successThreshold);
            }
            if (errorCount != null || errorPercent != null || minSample != null) {
                ObjectNode e = n.putObject("errorThreshold");
                put(e, "count", errorCount);
                put(e, "percent", errorPercent);
                put(e, "minSample", minSample);
            }
            put(n, "maxStartsPerMinute", maxPerMinute);
            put(n, "certificateHoldDays", certHoldDays);
            if (window != null) {
                n.put("maintenanceWindow", window);
            }
            if (zoneAttribute != null) {
                n.put("timeZoneAttribute", zoneAttribute);
            }
            if (type != null) {
                n.put("type", type);
            }
            return n;
        }

        private static void put(ObjectNode n, String field, Integer value) {
            if (value != null) {
                n.put(field, value);
            }
        }
    }

    /** Runs one call and prints its answer, as JSON or in lines. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        OperatorConnection connection = new OperatorConnection();

        abstract JsonNode run(ManagementClient client) throws IOException, ManagementException;

        abstract void print(JsonNode answer);

        @Override
        public Integer call() throws Exception {
            JsonNode answer = run(connection.client());
            if (connection.json) {
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            } else {
                print(answer);
            }
            return 0;
        }
    }

    /** One rollout in lines: state, then each group's progress, then held devices. */
    static void printRollout(JsonNode r) {
        System.out.println("rollout " + r.path("id").asLong() + " " + r.path("name").asText() + ": " + r.path("state").asText()
                + (r.path("pauseReason").isTextual() ? " (" + r.path("pauseReason").asText() + ")" : ""));
        for (JsonNode g : r.path("groups")) {
            System.out.printf("  group %-8s %-9s %d devices: %d succeeded, %d failed, %d open, %d waiting, %d held, %d canceled%n",
                    g.path("name").asText(), g.path("state").asText(), g.path("total").asInt(), g.path("succeeded").asInt(),
                    g.path("failed").asInt(), g.path("open").asInt(), g.path("notStarted").asInt(), g.path("held").asInt(),
                    g.path("canceled").asInt());
        }
        r.path("held").fields().forEachRemaining(e -> System.out.println("  held " + e.getKey() + ": " + e.getValue().asText()));
    }

    /** {@code rollout create}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a rollout (planned and started at once).")
    static final class Create extends Base {
        @Mixin
        Spec spec = new Spec();

        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.createRollout(spec.toJson());
        }

        @Override
        void print(JsonNode answer) {
            printRollout(answer);
        }
    }

    /** {@code rollout dry-run}. */
    @Command(name = "dry-run", mixinStandardHelpOptions = true, description = "List who a rollout would target, by group, and who would be held.")
    static final class DryRun extends Base {
        @Mixin
        Spec spec = new Spec();

        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.dryRunRollout(spec.toJson());
        }

        @Override
        void print(JsonNode answer) {
            System.out.println(answer.path("targeted").asInt() + " devices targeted");
            for (JsonNode g : answer.path("groups")) {
                List<String> members = new ArrayList<>();
                g.path("members").forEach(m -> members.add(m.asText()));
                System.out.println("  group " + g.path("name").asText() + " (" + members.size() + "): " + String.join(" ", members));
            }
            answer.path("held").fields().forEachRemaining(e -> System.out.println("  held " + e.getKey() + ": " + e.getValue().asText()));
        }
    }

    /** {@code rollout list}: one page, oldest first, a row per rollout ({@code show} gives the groups in full). */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List rollouts with their progress, oldest first (a page).")
    static final class ListAll extends PagedListCall {
        @Option(names = "--state", description = "only rollouts in this state, e.g. RUNNING")
        String state;

        @Override
        String path() {
            return "rollouts";
        }

        @Override
        java.util.Map<String, String> filters() {
            return present("state", state);
        }

        @Override
        List<String> headers() {
            return List.of("ID", "NAME", "RELEASE", "STATE", "GROUPS", "HELD");
        }

        @Override
        List<String> row(JsonNode r) {
            StringBuilder groups = new StringBuilder();
            for (JsonNode g : r.path("groups")) {
                groups.append(groups.length() == 0 ? "" : "; ").append(g.path("name").asText()).append(' ')
                        .append(g.path("state").asText()).append(' ').append(g.path("succeeded").asInt()).append('/')
                        .append(g.path("total").asInt());
            }
            return List.of(OperatorTables.text(r, "id"), OperatorTables.text(r, "name"), OperatorTables.text(r, "releaseId"),
                    OperatorTables.text(r, "state") + (r.path("pauseReason").isTextual() ? " (" + r.path("pauseReason").asText() + ")" : ""),
                    groups.toString(), String.valueOf(r.path("held").size()));
        }

        @Override
        String nothing() {
            return "no rollouts";
        }
    }

    /** A command on one rollout. */
    abstract static class OnOne extends Base {
        @Parameters(index = "0", description = "rollout id")
        long id;

        @Override
        void print(JsonNode answer) {
            printRollout(answer);
        }
    }

    /** {@code rollout show}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a rollout with per-group progress and held devices.")
    static final class Show extends OnOne {
        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.rollout(id);
        }
    }

    /** {@code rollout pause}. */
    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Start no more devices (open actions go on).")
    static final class Pause extends OnOne {
        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.changeRollout(id, "pause");
        }
    }

    /** {@code rollout resume}. */
    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused rollout; earlier failures no longer count.")
    static final class Resume extends OnOne {
        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.changeRollout(id, "resume");
        }
    }

    /** {@code rollout cancel}. */
    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a rollout; its open actions get cancelAction.")
    static final class Cancel extends OnOne {
        @Override
        JsonNode run(ManagementClient client) throws IOException, ManagementException {
            return client.changeRollout(id, "cancel");
        }
    }
}
