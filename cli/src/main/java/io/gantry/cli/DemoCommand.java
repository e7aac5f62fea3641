package io.gantry.cli;

import io.gantry.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The main job on embedded defaults; see {@link Demo}. */
@Command(name = "demo", description = "Run the end-to-end demo: backend with its MQTT broker, a gateway JVM and simulated devices, bundle "
        + "updates through two-group rollouts with an MQTT push, and a firmware update.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--work", defaultValue = "work/demo", description = "work folder, recreated on each run (default ${DEFAULT-VALUE})")
    Path work;
    @Option(names = "--gateway-dist", defaultValue = "edge-runtime/target/gateway", description = "gateway distribution: the folder with lib/ and bundle/ that edge-runtime builds (default ${DEFAULT-VALUE})")
    Path gatewayDist;

    @Override
    public Integer call() throws Exception {
        // The demo prints its own progress; library INFO logs would drown it.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        return new Demo(work, gatewayDist, System.out).run();
    }
}
