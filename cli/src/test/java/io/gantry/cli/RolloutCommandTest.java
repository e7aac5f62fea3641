package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code gantry rollout} options become the rollout request the backend reads (docs/rollouts.md). */
class RolloutCommandTest {
    private static final String[] CONNECTION = {"--backend", "https://127.0.0.1:8443", "--pki", "pki", "--operator", "ops"};

    private static RolloutCommand.Spec parse(String sub, String... args) {
        CommandLine cli = GantryCli.commandLine();
        String[] all = new String[args.length + CONNECTION.length + 2];
        all[0] = "rollout";
        all[1] = sub;
        System.arraycopy(CONNECTION, 0, all, 2, CONNECTION.length);
        System.arraycopy(args, 0, all, 2 + CONNECTION.length, args.length);
        CommandLine.ParseResult r = cli.parseArgs(all);
        Object command = r.subcommand().subcommand().commandSpec().userObject();
        return command instanceof RolloutCommand.Create c ? c.spec : ((RolloutCommand.DryRun) command).spec;
    }

    @Test
    void createOptionsBecomeTheRequest() {
        String json = parse("create", "--name", "wave-1", "--release", "3", "--device-type", "gw", "--attribute", "site=north",
                "--tag", "eu", "--tag", "lab", "--canary", "1", "--percentages", "50,100", "--success-threshold", "90",
                "--error-percent", "20", "--min-sample", "5", "--max-per-minute", "30", "--window", "02:00-04:00",
                "--cert-hold-days", "14", "--type", "soft").toJson().toString();
        assertEquals("{\"name\":\"wave-1\",\"releaseId\":3,\"filter\":{\"deviceType\":\"gw\",\"attributes\":{\"site\":\"north\"},"
                + "\"tags\":[\"eu\",\"lab\"]},\"canary\":1,\"percentages\":[50,100],\"successThreshold\":90,"
                + "\"errorThreshold\":{\"percent\":20,\"minSample\":5},\"maxStartsPerMinute\":30,\"certificateHoldDays\":14,"
                + "\"maintenanceWindow\":\"02:00-04:00\",\"type\":\"soft\"}", json);
    }

    @Test
    void unsetOptionsAreLeftToTheBackendDefaults() {
        String json = parse("dry-run", "--name", "w", "--release", "1", "--percentages", "100").toJson().toString();
        assertEquals("{\"name\":\"w\",\"releaseId\":1,\"filter\":{\"attributes\":{},\"tags\":[]},\"canary\":0,"
                + "\"percentages\":[100]}", json);
    }

    @Test
    void aRolloutCommandWithoutItsConnectionIsAUsageError() {
        assertNotEquals(0, GantryCli.commandLine().execute("rollout", "show", "1"));
    }
}
