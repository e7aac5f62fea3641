package io.gantry.provision;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The distribution's own tool ({@code bin/gantry-gateway provision ...}): the same provisioning as
 * {@code gantry gateway provision}, without the operator tool's dependencies.
 */
@Command(name = "gantry-gateway", mixinStandardHelpOptions = true, version = "gantry-gateway 0.1.0",
        description = "Provision a Gantry gateway home.", subcommands = GatewayProvisionCommand.class)
public final class GatewayTool {
    private GatewayTool() {
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new GatewayTool());
        cli.getSubcommands().get("provision").getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help")
                .usageHelp(true).description("Show this help message and exit.").build());
        System.exit(cli.execute(args));
    }
}
