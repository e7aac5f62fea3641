package io.gantry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Entry point of {@code ./gantry}. Exit codes: 0 success, 1 failure, 2 usage, 3 release rejected.
 * Every subcommand answers {@code -h}/{@code --help}.
 */
@Command(name = "gantry", mixinStandardHelpOptions = true, version = "gantry 0.1.0",
        description = "Secure over-the-air updates for OSGi gateways and the devices behind them.",
        subcommands = {PkiCommand.class, KeyCommand.class, TrustRootCommand.class, ReleaseCommand.class, BackendCommand.class,
            AssignCommand.class, RolloutCommand.class, DemoCommand.class, RevokeCommand.class, EnrollCommand.class,
            DownloadLogCommand.class, GatewayCommand.class, io.gantry.cli.incident.IncidentCommand.class, DevicesCommand.class,
            ReleasesCommand.class, AlertsCommand.class, EventsCommand.class})
public final class GantryCli {
    /** Release verification refused the release. */
    static final int REJECTED = 3;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GantryCli());
        addHelpOption(cli);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("gantry: " + e.getMessage());
            return 1;
        });
        return cli;
    }

    /** Not the inherited help mixin: its {@code --version} would clash with the release and trust-root version options. */
    private static void addHelpOption(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            if (sub.getCommandSpec().findOption("--help") == null) {
                sub.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            addHelpOption(sub);
        }
    }
}
