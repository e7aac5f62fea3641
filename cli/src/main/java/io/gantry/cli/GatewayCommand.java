package io.gantry.cli;

import io.gantry.provision.GatewayProvisionCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry gateway provision|run}: one way to make a gateway home and start a gateway on it. */
@Command(name = "gateway", description = "Provision a gateway home and run a gateway on it.",
        subcommands = {GatewayProvisionCommand.class, GatewayCommand.Run.class})
final class GatewayCommand {
    /** Runs the gateway in the foreground from a distribution until it stops; its exit code is returned. */
    @Command(name = "run", description = "Run a gateway on a provisioned home in the foreground (Ctrl-C stops it cleanly).")
    static final class Run implements Callable<Integer> {
        @Option(names = "--home", required = true, description = "the provisioned gateway home")
        Path home;
        @Option(names = "--dist", defaultValue = "edge-runtime/target/gateway",
                description = "the gateway distribution, holding lib/ and bundle/ (default: ${DEFAULT-VALUE})")
        Path dist;
        @Option(names = "--jvm-option", description = "an option for the gateway JVM, e.g. -Xmx64m (repeat for more)")
        List<String> jvmOptions;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(home.resolve("identity/device.p12")) || !Files.isDirectory(home.resolve("conf"))) {
                System.err.println("gantry: " + home + " is not a provisioned gateway home (see gantry gateway provision)");
                return 2;
            }
            if (!Files.isDirectory(dist.resolve("lib")) || !Files.isDirectory(dist.resolve("bundle"))) {
                System.err.println("gantry: " + dist + " is not a gateway distribution (lib/ and bundle/)");
                return 2;
            }
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            if (jvmOptions != null) {
                cmd.addAll(jvmOptions);
            }
            cmd.addAll(List.of("-cp", dist.toAbsolutePath().resolve("lib") + "/*", "io.gantry.edge.GatewayLauncher",
                    home.toAbsolutePath().toString(), dist.toAbsolutePath().toString()));
            Process gateway = new ProcessBuilder(cmd).inheritIO().start();
            Runtime.getRuntime().addShutdownHook(new Thread(gateway::destroy, "gateway-stop"));
            return gateway.waitFor();
        }
    }
}
