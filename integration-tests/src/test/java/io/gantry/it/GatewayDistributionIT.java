package io.gantry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.FactoryCredentials;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PkiDirectory;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/gateway.md walks an integrator through, on one machine: unpack the distribution
 * archive, provision a home with the archive's own {@code bin/gantry-gateway provision} (first
 * identity enrolled over EST with a one-time factory credential), run it with
 * {@code bin/gantry-gateway run}, and see it check in at a real backend over mutual TLS on loopback.
 */
class GatewayDistributionIT {
    static final String GATEWAY = "gw-installed";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @Test
    void unpackedArchiveProvisionsOverEstRunsAndChecksIn() throws Exception {
        Path archive = Path.of(System.getProperty("gantry.gateway.archive"));
        assertTrue(Files.isRegularFile(archive), "the distribution archive is built: " + archive);
        Path opt = Files.createDirectories(work.resolve("opt"));
        assertEquals(0, run(List.of("tar", "-xzf", archive.toString(), "-C", opt.toString())).exit(), "archive unpacks");
        Path dist;
        try (var entries = Files.list(opt)) {
            dist = entries.findFirst().orElseThrow();
        }
        Path bin = dist.resolve("bin/gantry-gateway");
        assertTrue(Files.isExecutable(bin), "bin/gantry-gateway is executable");
        assertTrue(Files.isRegularFile(dist.resolve("systemd/gantry-gateway.service")), "systemd unit shipped");

        Clock clock = Clock.systemUTC();
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS, clock);
        pki.issueOperator("operator");
        Path factory = FactoryCredentials.issue(pki, GATEWAY, Duration.ofDays(30));
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trustRoot = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), List.of("alice", "bob"), 0, 1);
        // What the factory hands the gateway: the factory credential, the backend's root CA and the trust root.
        Path media = Files.createDirectories(work.resolve("media"));
        Files.copy(factory, media.resolve("gw.p12"));
        Files.copy(Pkcs12Files.passwordFile(factory), media.resolve("gw.p12.pass"));
        Files.copy(pki.rootCaPem(), media.resolve("root-ca.pem"));

        try (BackendServer backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trustRoot)
                .withPollingSleep(Duration.ofSeconds(1)), EnrollmentConfig.fromPki(pki), clock)) {
            Path home = work.resolve("var/lib/gantry/gateway");
            List<String> provision = List.of(bin.toString(), "provision", "--home", home.toString(),
                    "--backend", backend.baseUri().toString(), "--backend-ca", media.resolve("root-ca.pem").toString(),
                    "--factory-credential", media.resolve("gw.p12").toString(), "--trust-root", trustRoot.toString(),
                    "--poll-seconds", "1", "--device-id", "sensor-1", "--coordinator", "soakSeconds=0");

            Result bad = run(replace(provision, "--poll-seconds", "0"));
            assertEquals(1, bad.exit(), bad.output());
            assertTrue(bad.output().contains("INVALID_SETTING: --poll-seconds must be within 1..86400"), bad.output());
            Result badCoordinator = run(replace(provision, "--coordinator", "soakMinutes=1"));
            assertTrue(badCoordinator.output().contains("INVALID_SETTING: --coordinator: unknown key soakMinutes"),
                    badCoordinator.output());
            assertTrue(!Files.exists(home.resolve("identity/device.p12")), "a refused provisioning enrolls nothing");

            Result ok = run(provision);
            assertEquals(0, ok.exit(), ok.output());
            assertTrue(ok.output().contains("gateway " + GATEWAY + " provisioned"), ok.output());
            Result again = run(provision);
            assertTrue(again.output().contains("HOME_NOT_EMPTY"), "never enrolls over an identity: " + again.output());

            ActionWatcher watcher = new ActionWatcher(new ManagementClient(backend.baseUri(), pki.loadOperator("operator"),
                    pki.rootCaPem()), System.out);
            try (GatewayProcess gateway = GatewayProcess.startCommand(List.of(bin.toString(), "run", "--home", home.toString()),
                    Map.of("GANTRY_JAVA_OPTS", "-Xmx80m"), System.out::println)) {
                gateway.awaitLine(l -> l.contains("Felix started"), TIMEOUT);
                watcher.awaitCheckIn(GATEWAY, TIMEOUT);
                // The script's default JVM options (docs/gateway.md, "Memory"), then GANTRY_JAVA_OPTS, which wins.
                List<String> jvm = List.of(Files.readString(Path.of("/proc", Long.toString(gateway.pid()), "cmdline")).split("\0"));
                assertTrue(jvm.contains("-XX:+UseSerialGC") && jvm.contains("-Xms16m") && jvm.contains("-Xss512k"), jvm.toString());
                assertTrue(jvm.indexOf("-Xmx80m") > jvm.indexOf("-Xmx96m") && jvm.indexOf("-Xmx96m") >= 0, jvm.toString());
                assertTrue(List.of(Files.readString(Path.of("/proc", Long.toString(gateway.pid()), "environ")).split("\0"))
                        .contains("MALLOC_ARENA_MAX=2"), "two malloc arenas");
            }
        }
    }

    private static List<String> replace(List<String> args, String flag, String value) {
        List<String> out = new ArrayList<>(args);
        out.set(out.indexOf(flag) + 1, value);
        return out;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        System.out.println(String.join(" ", command) + " -> " + exit + "\n" + out);
        return new Result(exit, out);
    }
}
