package io.gantry.cli;

import io.gantry.backend.BackendLaunch;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendSettings;
import io.gantry.backend.config.Setting;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Run the backend until stopped. Every setting of {@link BackendSettings#ALL} is a flag
 * ({@code --<key>}, added by {@link SettingOptions}) and a key of the {@code --config} file; a flag
 * wins over the file, the file over the default. A bad value is a usage error (exit 2) naming the
 * setting and where its value came from.
 */
@Command(name = "backend", modelTransformer = BackendCommand.SettingOptions.class,
        description = {"Run the backend until stopped (Ctrl-C, SIGTERM): device and management APIs and EST over HTTPS with "
                + "client certificates, CRL/OCSP over plain HTTP on the port of the PKI's revocation URL (pki init "
                + "--revocation-url), GET /health over plain HTTP for load balancers, and the MQTT v5 broker that pushes "
                + "commands to devices over mutual TLS (--mqtt-port). Every setting below can also be "
                + "given in the --config file as 'key = value' (docs/backend-api.md, \"Configuration\")."})
final class BackendCommand implements Callable<Integer> {
    /** Exit code of a bad setting, as of any usage error. */
    static final int BAD_SETTING = 2;
    @Option(names = "--config", paramLabel = "FILE", description = "configuration file: 'key = value' lines (Java properties "
            + "syntax, # comments) with the settings below; flags win over it")
    Path configFile;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        BackendLaunch launch;
        try {
            launch = BackendLaunch.resolve(values(), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("gantry backend: " + e.getMessage());
            return BAD_SETTING;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (BackendServer server = launch.start(Clock.systemUTC())) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }));
            System.out.println("backend listening on " + server.baseUri()
                    + (server.healthUri() == null ? "" : ", health on " + server.healthUri())
                    + server.mqttBroker().map(b -> ", MQTT on " + b.uri().replace("ssl://", "mqtts://")).orElse("")
                    + server.mqttClient().map(c -> ", MQTT push to " + c.uri().replace("ssl://", "mqtts://")).orElse(""));
            stopped.await();
        }
        return 0;
    }

    /** @return the configuration file's settings, then the flags given */
    BackendSettings.Values values() throws java.io.IOException {
        BackendSettings.Values values = configFile == null ? new BackendSettings.Values()
                : BackendSettings.Values.fromFile(configFile);
        ParseResult parsed = spec.commandLine().getParseResult();
        for (Setting s : BackendSettings.ALL) {
            if (parsed.hasMatchedOption(s.flag())) {
                values.set(s.key(), parsed.matchedOptionValue(s.flag(), ""), s.flag());
            }
        }
        return values;
    }

    /** Adds one option per backend setting, typed by the setting itself: a malformed value fails at parsing. */
    static final class SettingOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            for (Setting s : BackendSettings.ALL) {
                String[] names = s.key().equals("trust-root") ? new String[] {s.flag(), "--trust"} : new String[] {s.flag()};
                command.addOption(OptionSpec.builder(names)
                        .type(String.class)
                        .paramLabel(s.key().toUpperCase(java.util.Locale.ROOT).replace('-', '_'))
                        .description(s.description() + " (" + s.kind().label() + "; default: " + s.shownDefault() + ")")
                        .converters(value -> {
                            try {
                                s.parse(value);
                                return value;
                            } catch (IllegalArgumentException e) {
                                throw new CommandLine.TypeConversionException(e.getMessage());
                            }
                        })
                        .build());
            }
            return command;
        }
    }
}
