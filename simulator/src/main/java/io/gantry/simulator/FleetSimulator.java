package io.gantry.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.release.ReleaseKind;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.IssuedCredential;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The fleet simulator (a harness, not a test; docs/benchmarks.md, "Fleet simulator"). It creates
 * a PKI, a release trust root and a signed release; issues one P-256 device certificate per
 * simulated gateway, in bulk from the issuing CA (each recorded in {@code issued.log}, which the
 * backend imports, as for devices provisioned offline); starts the backend as its own process
 * ({@code gantry backend}); then runs one thread per gateway, each polling over its own keep-alive
 * mutual-TLS connection ({@link SimulatedGateway}).
 *
 * <p>It measures, in order: start-to-ready of the backend; steady polling (check-ins per second,
 * poll latency percentiles, CPU of the backend and of this load generator per check-in, the
 * backend's RSS), several iterations; then a rollout of the release over the whole fleet (canary,
 * 10 %, 50 %, 100 %) followed to the end, with artifact download throughput. Every figure is
 * printed as a line {@code RESULT <name> <value>}.
 */
public final class FleetSimulator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("gateways", "50"), Map.entry("warmup", "15"),
            Map.entry("seconds", "10"), Map.entry("iterations", "5"), Map.entry("payload-kib", "1024"),
            Map.entry("interval-ms", "0"), Map.entry("backend-opts", ""), Map.entry("work", ""), Map.entry("rollout", "true"),
            Map.entry("backend-flags", ""), Map.entry("backend-classpath", ""), Map.entry("starts", "3"),
            Map.entry("download-phase", "true"), Map.entry("backend-cds", "false"));

    private FleetSimulator() {
    }

    /** @param args {@code --name value} options; see {@link #DEFAULTS} */
    public static void main(String[] args) throws Exception {
        SimOptions o = SimOptions.parse(args, DEFAULTS);
        Path work = o.text("work").isEmpty() ? Files.createTempDirectory("gantry-fleet-sim") : Path.of(o.text("work"));
        new FleetSimulator().run(o, Files.createDirectories(work));
        System.exit(0);
    }

    private void run(SimOptions o, Path work) throws Exception {
        Clock clock = Clock.systemUTC();
        int n = o.number("gateways");
        PkiDirectory pki = PkiDirectory.create(work.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS,
                RevocationEndpoints.of("http://127.0.0.1:" + freePort()), clock);
        pki.issueOperator("sim-operator");
        TrustRootFixture keys = TrustRootFixture.create(work.resolve("keys"), clock, List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(work.resolve("trust/trust-root.json"), List.of("alice", "bob"), 0, 1);

        long i0 = System.nanoTime();
        // Issued on several threads, each with its own CA instance and so its own issued.log writer
        // (one instance serialises its appends): each issuance forces its line to disk, and whole-line
        // O_APPEND writes from several writers do not interleave.
        ThreadLocal<CertificateAuthority> cas = ThreadLocal.withInitial(() -> {
            try {
                return pki.loadIntermediateCa();
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<IssuedCredential>> issued = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = deviceId(i);
            issued.add(pool.submit(() -> cas.get().issueDevice(id)));
        }
        List<IssuedCredential> devices = new ArrayList<>(n);
        for (var f : issued) {
            devices.add(f.get());
        }
        pool.shutdown();
        double issueSeconds = (System.nanoTime() - i0) / 1e9;
        result("certificates-issued", n);
        result("certificates-per-second", n / issueSeconds);

        List<String> settings = new ArrayList<>(List.of("--pki", pki.dir().toString(), "--data", work.resolve("data").toString(),
                "--trust-root", trust.toString(), "--polling-interval", "1s"));
        if (Boolean.parseBoolean(o.text("download-phase"))) {
            // The download phase fetches each artifact again and again: lift the per-device download limits for it.
            settings.addAll(List.of("--downloads-per-artifact", "1000", "--download-flood-max-requests", "1000000"));
        }
        settings.addAll(o.words("backend-flags"));
        // The first start migrates an empty database; the later ones are restarts, as operators see them.
        double[] restarts = new double[Math.max(1, o.number("starts") - 1)];
        ClassDataArchive cds = Boolean.parseBoolean(o.text("backend-cds"))
                ? new ClassDataArchive(work.resolve("cds"), BackendProcess.classPath(o.text("backend-classpath"))) : null;
        if (cds != null && o.number("starts") < 2) {
            throw new IllegalArgumentException("--backend-cds true needs --starts 2 or more: the first start records the classes");
        }
        for (int s = 0; s < o.number("starts") - 1; s++) {
            List<String> opts = new ArrayList<>(o.words("backend-opts"));
            if (cds != null) {
                opts.addAll(s == 0 ? cds.recordOptions() : cds.useOptions());
            }
            try (BackendProcess b = BackendProcess.start(opts, settings, o.text("backend-classpath"),
                    work.resolve("backend.log"))) {
                result(s == 0 ? "backend-ready-ms-first-start" : "backend-ready-ms-restart", b.readyNanos() / 1e6);
                if (s > 0) {
                    restarts[s - 1] = b.readyNanos() / 1e6;
                }
            }
            if (cds != null && s == 0) {
                result("backend-cds-archive-mib", cds.build() / 1024.0 / 1024.0);
            }
        }
        List<String> lastOpts = new ArrayList<>(o.words("backend-opts"));
        if (cds != null) {
            lastOpts.addAll(cds.useOptions());
        }
        try (BackendProcess backend = BackendProcess.start(lastOpts, settings, o.text("backend-classpath"),
                work.resolve("backend.log"))) {
            result("backend-ready-ms-restart", backend.readyNanos() / 1e6);
            restarts[restarts.length - 1] = backend.readyNanos() / 1e6;
            result("backend-ready-ms-restart-median", median(restarts));
            result("backend-rss-ready-mib", backend.sample().rssKib() / 1024.0);
            Fleet fleet = new Fleet("127.0.0.1", backend.port(), "DEFAULT", o.number("interval-ms"));
            KeyStore trustStore = PemCertificates.trustStore(pki.rootCaPem());
            List<SimulatedGateway> gateways = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                SimulatedGateway g = new SimulatedGateway(deviceId(i), tls(devices.get(i), trustStore).getSocketFactory(), fleet);
                gateways.add(g);
                Thread t = new Thread(g, "gw-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            Thread.sleep(o.number("warmup") * 1000L);
            steady(o, fleet, gateways, backend);
            if (Boolean.parseBoolean(o.text("rollout"))) {
                rollout(o, work, pki, keys, clock, fleet, gateways, backend);
                if (Boolean.parseBoolean(o.text("download-phase"))) {
                    downloadPhase(o, fleet, gateways, backend);
                }
            }
            fleet.stop();
            for (Thread t : threads) {
                t.join(5000);
            }
            long errors = gateways.stream().mapToLong(g -> g.errors).sum();
            long reconnects = gateways.stream().mapToLong(g -> g.connectionsOpened() - 1L).sum();
            result("errors", errors);
            result("reconnects", reconnects);
            gateways.stream().filter(g -> g.lastError != null).limit(3)
                    .forEach(g -> System.out.println("# " + g.id() + " last error: " + g.lastError));
            result("backend-peak-rss-mib", backend.sample().peakRssKib() / 1024.0);
        }
    }

    /** Measured iterations of polling with no rollout: every poll answers "nothing to do". */
    private static void steady(SimOptions o, Fleet fleet, List<SimulatedGateway> gateways, BackendProcess backend) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int iterations = o.number("iterations");
        double[] rates = new double[iterations];
        double[] p99 = new double[iterations];
        long maxRss = 0;
        for (int it = 0; it < iterations; it++) {
            gateways.forEach(g -> g.polls.clear());
            long count0 = gateways.stream().mapToLong(g -> g.pollCount).sum();
            ProcessSample b0 = backend.sample();
            long self0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            fleet.measuring(true);
            long end = t0 + o.number("seconds") * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(250);
                maxRss = Math.max(maxRss, backend.sample().rssKib());
            }
            fleet.measuring(false);
            long wall = System.nanoTime() - t0;
            long count = gateways.stream().mapToLong(g -> g.pollCount).sum() - count0;
            ProcessSample b1 = backend.sample();
            long self = os.getProcessCpuTime() - self0;
            LatencyLog all = new LatencyLog();
            gateways.forEach(g -> all.addAll(g.polls));
            rates[it] = count / (wall / 1e9);
            p99[it] = all.percentileMillis(99);
            System.out.printf(Locale.ROOT, "ITERATION %d check-ins/s %.0f  poll ms p50/p90/p99/max %s  backend CPU %.2f cores"
                    + " (%.3f ms/check-in)  load generator CPU %.2f cores (%.3f ms/check-in)  backend RSS %d MiB%n", it + 1, rates[it],
                    all.summary(), (b1.cpuNanos() - b0.cpuNanos()) / (double) wall, (b1.cpuNanos() - b0.cpuNanos()) / 1e6 / count,
                    self / (double) wall, self / 1e6 / count, b1.rssKib() / 1024);
        }
        result("checkins-per-second-median", median(rates));
        result("poll-p99-ms-median", median(p99));
        result("backend-rss-max-under-load-mib", maxRss / 1024.0);
    }

    /** Uploads a release, rolls it out to every gateway and follows it to the end. */
    private static void rollout(SimOptions o, Path work, PkiDirectory pki, TrustRootFixture keys, Clock clock, Fleet fleet,
            List<SimulatedGateway> gateways, BackendProcess backend) throws Exception {
        ReleaseFixture releases = new ReleaseFixture(work.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")),
                "alice", clock);
        byte[] payload = new byte[o.number("payload-kib") * 1024];
        new SecureRandom().nextBytes(payload);
        Path image = Files.write(work.resolve("fw.bin"), payload);
        Path archive = releases.signed("sim-fw", "1.1.0", ReleaseKind.FIRMWARE, ReleaseFixture.SENSOR_TYPE, "fw.bin", image);
        ManagementClient mgmt = new ManagementClient(URI.create("https://localhost:" + backend.port()),
                pki.loadOperator("sim-operator"), pki.rootCaPem());
        long releaseId = mgmt.uploadRelease(archive).path("id").asLong();
        ObjectNode spec = JSON.createObjectNode().put("name", "simulated fleet").put("releaseId", releaseId).put("canary", 1)
                .put("maxStartsPerMinute", 1_000_000);
        spec.putArray("percentages").add(10).add(50).add(100);
        spec.putObject("errorThreshold").put("count", 1);
        gateways.forEach(g -> g.polls.clear());
        long count0 = gateways.stream().mapToLong(g -> g.pollCount).sum();
        ProcessSample b0 = backend.sample();
        long t0 = System.nanoTime();
        fleet.measuring(true);
        long rolloutId = mgmt.createRollout(spec).path("id").asLong();
        String state = "";
        long deadline = t0 + 600_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            if (fleet.updates() >= gateways.size()) {
                JsonNode r = mgmt.rollout(rolloutId);
                state = r.path("state").asText();
                if (!state.equals("RUNNING") && !state.equals("CREATED")) {
                    break;
                }
            }
        }
        long wall = System.nanoTime() - t0;
        fleet.measuring(false);
        ProcessSample b1 = backend.sample();
        long polls = gateways.stream().mapToLong(g -> g.pollCount).sum() - count0;
        LatencyLog pollLog = new LatencyLog();
        LatencyLog downloads = new LatencyLog();
        LatencyLog others = new LatencyLog();
        gateways.forEach(g -> {
            pollLog.addAll(g.polls);
            downloads.addAll(g.downloads);
            others.addAll(g.others);
        });
        long bytes = gateways.stream().mapToLong(g -> g.downloadedBytes).sum();
        System.out.println("# rollout state " + state + ", updates " + fleet.updates() + " of " + gateways.size());
        result("rollout-state-" + state, 1);
        result("rollout-seconds", wall / 1e9);
        result("rollout-polls-per-second", polls / (wall / 1e9));
        System.out.println("# rollout: poll ms p50/p90/p99/max " + pollLog.summary() + "; deploymentBase+feedback ms "
                + others.summary() + "; download ms " + downloads.summary());
        result("rollout-backend-cpu-cores", (b1.cpuNanos() - b0.cpuNanos()) / (double) wall);
        result("download-bytes", bytes);
        result("download-mib-per-second-aggregate", bytes / 1048576.0 / (fleet.downloadWindowNanos() / 1e9));
        result("download-ms-median", downloads.percentileMillis(50));
    }

    /**
     * Every gateway downloads the artifact of its finished update again and again over its
     * connection (the backend was started with the per-device download limits lifted), for the
     * measured seconds: aggregate artifact throughput with all connections busy.
     */
    private static void downloadPhase(SimOptions o, Fleet fleet, List<SimulatedGateway> gateways, BackendProcess backend)
            throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        fleet.downloading(true);
        Thread.sleep(2000);
        long errors0 = gateways.stream().mapToLong(g -> g.errors).sum();
        ProcessSample b0 = backend.sample();
        long self0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        fleet.measuring(true);
        Thread.sleep(o.number("seconds") * 1000L);
        fleet.measuring(false);
        long wall = System.nanoTime() - t0;
        ProcessSample b1 = backend.sample();
        long self = os.getProcessCpuTime() - self0;
        fleet.downloading(false);
        long bytes = gateways.stream().mapToLong(g -> g.repeatedBytes).sum();
        result("download-phase-mib-per-second", bytes / 1048576.0 / (wall / 1e9));
        result("download-phase-backend-cpu-cores", (b1.cpuNanos() - b0.cpuNanos()) / (double) wall);
        result("download-phase-loadgen-cpu-cores", self / (double) wall);
        result("download-phase-errors", gateways.stream().mapToLong(g -> g.errors).sum() - errors0);
        result("download-phase-backend-rss-mib", b1.rssKib() / 1024.0);
    }

    private static SSLContext tls(IssuedCredential device, KeyStore trust) throws Exception {
        char[] pw = "sim".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("device", device.privateKey(), pw, device.chain().toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, pw);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLSv1.3");
        c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return c;
    }

    static String deviceId(int i) {
        return String.format(Locale.ROOT, "sim-%06d", i);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static void result(String name, double value) {
        System.out.printf(Locale.ROOT, "RESULT %s %.3f%n", name, value);
        System.out.flush();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
