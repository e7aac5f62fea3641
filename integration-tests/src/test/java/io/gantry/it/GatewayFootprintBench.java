package io.gantry.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.release.ReleaseKind;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ActionWatcher;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import io.gantry.testing.fleet.BundleRebuild;
import io.gantry.testing.fleet.GatewayHome;
import io.gantry.testing.fleet.GatewayProcess;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway's footprint, a harness rather than a test (a main class the test runner never
 * picks up): cold start to first check-in at a real backend on loopback, resident memory with every
 * bundle and the example plugin (default JVM flags, and {@code -Xmx64m -XX:+UseSerialGC}), and per
 * security bundle the time the update coordinator takes from staging a rebuilt revision to
 * committing it (soak 0). A baseline from the same run ({@code java -version}) puts the numbers of a
 * shared machine in proportion. Prints a Markdown table and writes it to
 * {@code target/gateway-footprint.md}. Run with {@code bench/gateway-footprint.sh [runs]}, which
 * builds first and then runs this without Maven (docs/benchmarks.md).
 */
public final class GatewayFootprintBench {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final PrintStream LOG = System.out;
    static final List<String> SECURITY_BUNDLES = List.of("io.gantry.keystore", "io.gantry.verifier", "io.gantry.rollback",
            "io.gantry.counter.pkcs11", "io.gantry.renewal", "io.gantry.agent");

    private final Path work;
    private final Path dist;

    private GatewayFootprintBench(Path work, Path dist) {
        this.work = work;
        this.dist = dist;
    }

    /** @param args the number of runs (default 5); system properties gantry.gateway.dist, gantry.source.root */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        new GatewayFootprintBench(Files.createTempDirectory("gantry-bench"),
                Path.of(System.getProperty("gantry.gateway.dist"))).measure(runs);
        System.exit(0);
    }

    record Line(long nanos, String text) {
    }

    private void measure(int runs) throws Exception {
        long settleMillis = Long.getLong("gantry.bench.settleSeconds", 10) * 1000;
        Clock clock = Clock.systemUTC();
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS, clock);
        pki.issueOperator("operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), List.of("alice", "bob"), 0, 1);
        ReleaseFixture releases = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")), "alice", clock);
        Map<String, List<Double>> results = new LinkedHashMap<>();
        try (BackendServer backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trust)
                .withPollingSleep(Duration.ofSeconds(1)), EnrollmentConfig.fromPki(pki), clock)) {
            ManagementClient mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
            ActionWatcher watcher = new ActionWatcher(mgmt, LOG);
            int device = 0;
            for (int r = 1; r <= runs; r++) {
                results.computeIfAbsent("baseline: java -version, ms", k -> new ArrayList<>()).add(javaVersionMillis());
                for (List<String> flags : List.of(List.<String>of(), List.of("-Xmx64m", "-XX:+UseSerialGC"))) {
                    String label = flags.isEmpty() ? "default flags" : String.join(" ", flags);
                    String id = "gw-bench-" + (++device);
                    pki.issueDevice(id);
                    GatewayHome home = GatewayHome.provision(work.resolve(id), pki, id, trust, backend.baseUri(), List.of("sensor-1"));
                    home.coordinatorSettings("soakSeconds=0"); // the coordinator reads it at start
                    List<Line> lines = new CopyOnWriteArrayList<>();
                    Instant t0 = Instant.now();
                    try (GatewayProcess gw = start(home.dir(), flags, lines)) {
                        String started = gw.awaitLine(l -> l.contains("Felix started"), TIMEOUT);
                        watcher.awaitCheckIn(id, TIMEOUT);
                        Instant firstSeen = Instant.parse(mgmt.target(id).path("firstSeen").asText());
                        results.computeIfAbsent("Felix started (launcher's own count), " + label + ", ms", k -> new ArrayList<>())
                                .add(Double.parseDouble(started.replaceAll(".* in (\\d+) ms.*", "$1")));
                        results.computeIfAbsent("JVM start to first check-in, " + label + ", ms", k -> new ArrayList<>())
                                .add((double) Duration.between(t0, firstSeen).toMillis());
                        Thread.sleep(settleMillis); // a settle period before reading memory, not a wait for a condition
                        results.computeIfAbsent("RSS " + (settleMillis / 1000) + " s after check-in, " + label + ", MiB",
                                k -> new ArrayList<>()).add(rssMib(gw.pid()));
                        if (flags.isEmpty()) {
                            swaps(r, id, gw, lines, releases, mgmt, watcher, results);
                        }
                    }
                }
            }
        }
        String table = table(results, runs);
        LOG.println(table);
        Files.writeString(Path.of("target", "gateway-footprint.md"), table);
    }

    /** Replaces each security bundle by a rebuilt revision and times the coordinator from "staged" to "committed". */
    private void swaps(int run, String id, GatewayProcess gw, List<Line> lines, ReleaseFixture releases, ManagementClient mgmt,
            ActionWatcher watcher, Map<String, List<Double>> results) throws Exception {
        for (String bsn : SECURITY_BUNDLES) {
            String version = "0.2." + run;
            Path jar = BundleRebuild.of(bsn).version(version).revisionProbe("bench" + run).build(work.resolve("revisions-" + run));
            Path release = releases.signed(bsn, version, ReleaseKind.BUNDLE, "gantry-gateway", bsn + ".jar", jar);
            long action = mgmt.assign(id, mgmt.uploadRelease(release).path("id").asLong());
            JsonNode closed = watcher.awaitClosed(action, TIMEOUT);
            String tx = "transaction action-" + action + ": ";
            Line staged = lines.stream().filter(l -> l.text().contains(tx) && l.text().contains(" staged (")).findFirst().orElse(null);
            Line done = lines.stream().filter(l -> l.text().contains(tx) && l.text().endsWith(" committed")).findFirst().orElse(null);
            if (!"FINISHED".equals(closed.path("status").asText()) || staged == null || done == null) {
                LOG.println("swap of " + bsn + " did not commit: " + closed);
                continue;
            }
            results.computeIfAbsent("swap " + bsn + ", staged to committed, ms", k -> new ArrayList<>())
                    .add((done.nanos() - staged.nanos()) / 1e6);
        }
    }

    private GatewayProcess start(Path home, List<String> flags, List<Line> lines) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", dist.toAbsolutePath().resolve("lib") + "/*", "io.gantry.edge.GatewayLauncher",
                home.toAbsolutePath().toString(), dist.toAbsolutePath().toString()));
        return GatewayProcess.startCommand(cmd, Map.of(), l -> {
            lines.add(new Line(System.nanoTime(), l));
            LOG.println(l);
        });
    }

    private static double javaVersionMillis() throws IOException, InterruptedException {
        long t = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        return (System.nanoTime() - t) / 1e6;
    }

    private static double rssMib(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    private static String table(Map<String, List<Double>> results, int runs) {
        StringBuilder b = new StringBuilder("| measure (" + runs + " runs) | median | min | max |\n|---|---|---|---|\n");
        results.forEach((k, v) -> {
            List<Double> s = new ArrayList<>(v);
            Collections.sort(s);
            double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
            b.append(String.format("| %s | %.0f | %.0f | %.0f |%n", k + (s.size() < runs ? " (" + s.size() + " of " + runs + ")" : ""),
                    median, s.get(0), s.get(s.size() - 1)));
        });
        return b.toString();
    }
}
