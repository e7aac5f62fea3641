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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The gateway's footprint, a harness rather than a test (a main class the test runner never
 * picks up): cold start to first check-in at a real backend on loopback, resident memory with every
 * bundle and the example plugin, and per security bundle the time the update coordinator takes from
 * staging a rebuilt revision to committing it (soak 0). Each unpacked distribution is measured
 * <em>as shipped</em> (its {@code bin/gantry-gateway run}, with the JVM flags the script passes by
 * default, once alone and once with {@code GANTRY_JAVA_OPTS="-Xmx64m -XX:+UseSerialGC"} added) and,
 * for comparison, as a bare {@code java -cp lib/*} launch with no flags and with
 * {@code -Xmx64m -XX:+UseSerialGC}. Several distributions (e.g. a baseline build and a changed one)
 * are measured in the same run, their order alternating from run to run. A baseline from the same
 * run ({@code java -version}) puts the numbers of a shared machine in proportion. With
 * {@code -Dgantry.bench.nmt=true} every gateway also runs with
 * {@code -XX:NativeMemoryTracking=summary} and its {@code jcmd VM.native_memory summary} and
 * {@code /proc/<pid>/smaps_rollup} are written beside the table (NMT itself costs memory: its RSS
 * figures are not the shipped ones). Prints a Markdown table and writes it to
 * {@code target/gateway-footprint.md}. Run with {@code bench/gateway-footprint.sh [runs]}, which
 * builds first and then runs this without Maven (docs/benchmarks.md).
 */
public final class GatewayFootprintBench {
    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final PrintStream LOG = System.out;
    static final List<String> SECURITY_BUNDLES = List.of("io.gantry.keystore", "io.gantry.verifier", "io.gantry.rollback",
            "io.gantry.counter.pkcs11", "io.gantry.renewal", "io.gantry.agent");
    static final List<String> SMALL_HEAP = List.of("-Xmx64m", "-XX:+UseSerialGC");

    private final Path work;
    private final Map<String, Path> dists;
    private int swapRounds;

    private GatewayFootprintBench(Path work, Map<String, Path> dists) {
        this.work = work;
        this.dists = dists;
    }

    /**
     * @param args the number of runs (default 5); system properties {@code gantry.bench.dists}
     *     ({@code label=dir,label=dir}: unpacked distribution archives), {@code gantry.source.root},
     *     {@code gantry.bench.settleSeconds} (10), {@code gantry.bench.nmt} (false),
     *     {@code gantry.bench.swaps} (true), {@code gantry.bench.only} {@code gantry.bench.swapTrace} (false: print
     *     each swap's log lines with their time after "staged"), {@code gantry.bench.only} (a regular expression: measure only the
     *     variants whose label it finds), {@code gantry.bench.jvmOptions} (added to every gateway JVM, separated by
     *     spaces or semicolons: diagnostics)
     */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Map<String, Path> dists = new LinkedHashMap<>();
        for (String d : System.getProperty("gantry.bench.dists").split(",")) {
            String[] kv = d.split("=", 2);
            dists.put(kv[0], Path.of(kv[1]).toAbsolutePath());
        }
        new GatewayFootprintBench(Files.createTempDirectory("gantry-bench"), dists).measure(runs);
        System.exit(0);
    }

    record Line(long nanos, String text) {
    }

    /** One way of starting a gateway: through the distribution's script or a bare java command, with extra options. */
    record Variant(String dist, boolean script, List<String> options) {
        String label() {
            String how = script ? "shipped" + (options.isEmpty() ? "" : " + GANTRY_JAVA_OPTS=\"" + String.join(" ", options) + "\"")
                    : "bare java" + (options.isEmpty() ? "" : " " + String.join(" ", options));
            return dist + ", " + how;
        }
    }

    private void measure(int runs) throws Exception {
        long settleMillis = Long.getLong("gantry.bench.settleSeconds", 10) * 1000;
        boolean nmt = Boolean.getBoolean("gantry.bench.nmt");
        boolean doSwaps = Boolean.parseBoolean(System.getProperty("gantry.bench.swaps", "true"));
        Clock clock = Clock.systemUTC();
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS, clock);
        pki.issueOperator("operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), List.of("alice", "bob"), 0, 1);
        ReleaseFixture releases = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")), "alice", clock);
        Map<String, List<Double>> results = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>(dists.keySet());
        try (BackendServer backend = BackendServer.start(BackendConfig.fromPki(work.resolve("backend"), pki, trust)
                .withPollingSleep(Duration.ofSeconds(1)), EnrollmentConfig.fromPki(pki), clock)) {
            ManagementClient mgmt = new ManagementClient(backend.baseUri(), pki.loadOperator("operator"), pki.rootCaPem());
            ActionWatcher watcher = new ActionWatcher(mgmt, LOG);
            int device = 0;
            for (int r = 1; r <= runs; r++) {
                results.computeIfAbsent("baseline: java -version, ms", k -> new ArrayList<>()).add(javaVersionMillis());
                results.computeIfAbsent("load average (1 min) at run start", k -> new ArrayList<>()).add(loadAverage());
                List<String> order = new ArrayList<>(labels);
                if (r % 2 == 0) {
                    Collections.reverse(order); // alternate which distribution goes first
                }
                for (String d : order) {
                    for (Variant v : List.of(new Variant(d, true, List.of()), new Variant(d, true, SMALL_HEAP),
                            new Variant(d, false, List.of()), new Variant(d, false, SMALL_HEAP))) {
                        if (!java.util.regex.Pattern.compile(System.getProperty("gantry.bench.only", "")).matcher(v.label()).find()) {
                            continue;
                        }
                        String id = "gw-bench-" + (++device);
                        pki.issueDevice(id);
                        GatewayHome home = GatewayHome.provision(work.resolve(id), pki, id, trust, backend.baseUri(), List.of("sensor-1"));
                        home.coordinatorSettings("soakSeconds=0"); // the coordinator reads it at start
                        List<Line> lines = new CopyOnWriteArrayList<>();
                        String label = v.label();
                        Instant t0 = Instant.now();
                        try (GatewayProcess gw = start(home.dir(), v, nmt, lines)) {
                            String started = gw.awaitLine(l -> l.contains("Felix started"), TIMEOUT);
                            watcher.awaitCheckIn(id, TIMEOUT);
                            Instant firstSeen = Instant.parse(mgmt.target(id).path("firstSeen").asText());
                            add(results, "Felix started (launcher's own count), " + label + ", ms",
                                    Double.parseDouble(started.replaceAll(".* in (\\d+) ms.*", "$1")));
                            add(results, "JVM start to first check-in, " + label + ", ms", Duration.between(t0, firstSeen).toMillis());
                            Thread.sleep(settleMillis); // a settle period before reading memory, not a wait for a condition
                            Map<String, Long> status = procStatus(gw.pid());
                            add(results, "RSS " + (settleMillis / 1000) + " s after check-in, " + label + ", MiB", status.get("VmRSS") / 1024.0);
                            add(results, "RSS, MB (10^6 bytes), " + label, status.get("VmRSS") * 1024 / 1e6);
                            add(results, "threads, " + label, status.get("Threads"));
                            if (nmt) {
                                writeBreakdown(r, label, gw.pid());
                            }
                            if (doSwaps && v.script() && v.options().isEmpty()) {
                                swaps(d, id, gw, lines, releases, mgmt, watcher, results);
                            }
                        }
                    }
                }
            }
        }
        String table = table(results, runs);
        LOG.println(table);
        Files.writeString(Path.of("target", "gateway-footprint.md"), table);
    }

    private static void add(Map<String, List<Double>> results, String key, double value) {
        results.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    /** NMT summary and smaps_rollup of one gateway, into target/ beside the table. */
    private static void writeBreakdown(int run, String label, long pid) throws IOException, InterruptedException {
        String nmtText = jcmd(pid, "VM.native_memory", "summary");
        String threads = jcmd(pid, "Thread.print").lines().filter(l -> l.startsWith("\""))
                .map(l -> l.replaceAll("^\"([^\"]*)\".*", "$1")).sorted().collect(java.util.stream.Collectors.joining("\n"));
        String smaps = Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup"));
        String file = "gateway-footprint-nmt-run" + run + "-" + label.replaceAll("[^A-Za-z0-9]+", "_") + ".txt";
        Files.writeString(Path.of("target", file), "# " + label + "\n" + smaps + "\n" + nmtText + "\n# threads\n" + threads + "\n");
        LOG.println("breakdown written to target/" + file);
    }

    /** Replaces each security bundle by a rebuilt revision and times the coordinator from "staged" to "committed". */
    private void swaps(String dist, String id, GatewayProcess gw, List<Line> lines, ReleaseFixture releases,
            ManagementClient mgmt, ActionWatcher watcher, Map<String, List<Double>> results) throws Exception {
        for (String bsn : SECURITY_BUNDLES) {
            int round = ++swapRounds; // a release version is accepted once per backend: one per gateway swapped
            String version = "0.2." + round;
            Path jar = BundleRebuild.of(bsn).version(version).revisionProbe("bench" + round).build(work.resolve("revisions-" + round));
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
            if (Boolean.getBoolean("gantry.bench.swapTrace")) { // where a swap's time goes: every line in between, in ms
                lines.stream().filter(l -> l.nanos() >= staged.nanos() && l.nanos() <= done.nanos())
                        .forEach(l -> LOG.printf("swap trace %s +%.0f ms %s%n", bsn, (l.nanos() - staged.nanos()) / 1e6, l.text()));
            }
            results.computeIfAbsent("swap " + bsn + ", " + dist + ", staged to committed, ms", k -> new ArrayList<>())
                    .add((done.nanos() - staged.nanos()) / 1e6);
        }
    }

    private GatewayProcess start(Path home, Variant v, boolean nmt, List<Line> lines) throws IOException {
        List<String> options = new ArrayList<>(v.options());
        String extra = System.getProperty("gantry.bench.jvmOptions", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+|;"))); // diagnostics only, e.g. -Xlog:class+load
        }
        if (nmt) {
            options.add("-XX:NativeMemoryTracking=summary");
        }
        Path dist = dists.get(v.dist());
        String javaHome = System.getProperty("java.home");
        Consumer<String> echo = l -> {
            lines.add(new Line(System.nanoTime(), l));
            LOG.println(l);
        };
        if (v.script()) {
            Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", javaHome));
            if (!options.isEmpty()) {
                env.put("GANTRY_JAVA_OPTS", String.join(" ", options));
            }
            return GatewayProcess.startCommand(List.of(dist.resolve("bin/gantry-gateway").toString(), "run", "--home",
                    home.toAbsolutePath().toString()), env, echo);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", dist.resolve("lib") + "/*", "io.gantry.edge.GatewayLauncher",
                home.toAbsolutePath().toString(), dist.toString()));
        return GatewayProcess.startCommand(cmd, Map.of(), echo);
    }

    private static double javaVersionMillis() throws IOException, InterruptedException {
        long t = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
        return (System.nanoTime() - t) / 1e6;
    }

    /** @return the numeric fields of /proc/<pid>/status (kB for sizes) */
    private static Map<String, Long> procStatus(long pid) throws IOException {
        Map<String, Long> fields = new HashMap<>();
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            String[] kv = l.split(":\\s*", 2);
            if (kv.length == 2 && kv[1].matches("\\d+( kB)?")) {
                fields.put(kv[0], Long.parseLong(kv[1].replace(" kB", "")));
            }
        }
        if (!fields.containsKey("VmRSS")) {
            throw new IOException("no VmRSS for " + pid);
        }
        return fields;
    }

    private static String table(Map<String, List<Double>> results, int runs) {
        StringBuilder b = new StringBuilder("| measure (" + runs + " runs) | median | min | max |\n|---|---|---|---|\n");
        results.forEach((k, v) -> {
            List<Double> s = new ArrayList<>(v);
            Collections.sort(s);
            double median = s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
            String f = s.get(s.size() - 1) < 20 ? "%.1f" : "%.0f";
            b.append(String.format("| %s | " + f + " | " + f + " | " + f + " |%n",
                    k + (s.size() < runs ? " (" + s.size() + " of " + runs + ")" : ""), median, s.get(0), s.get(s.size() - 1)));
        });
        return b.toString();
    }
}
