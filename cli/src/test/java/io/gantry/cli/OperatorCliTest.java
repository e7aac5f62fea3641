package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.testing.fleet.ReleaseFixture;
import io.gantry.testing.fleet.TrustRootFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator CLI against a real backend over mutual TLS: lists, details, rollout control with a progress bar, --json. */
class OperatorCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static BackendServer backend;
    static PkiDirectory pki;
    static ManagementClient operator;
    static long release;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Path dir = tmp.resolve("pki");
        int revocationPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            revocationPort = s.getLocalPort();
        }
        assertEquals(0, cli("pki", "init", "--dir", dir.toString(), "--revocation-url", "http://127.0.0.1:" + revocationPort).exit());
        assertEquals(0, cli("pki", "operator", "--dir", dir.toString(), "--name", "ops").exit());
        pki = PkiDirectory.open(dir, Clock.systemUTC());
        TrustRootFixture keys = TrustRootFixture.create(tmp.resolve("keys"), Clock.systemUTC(), List.of("alice", "bob"));
        Path trust = keys.writeTrustRoot(tmp.resolve("trust/trust-root.json"), List.of("alice", "bob"), 1);
        BackendConfig config = BackendConfig.fromPki(tmp.resolve("data"), pki, trust).withRevocationPort(revocationPort);
        backend = BackendServer.start(config, EnrollmentConfig.fromPki(pki), Clock.systemUTC());
        operator = new ManagementClient(backend.baseUri(), pki.loadOperator("ops"), pki.rootCaPem());
        Path archive = new ReleaseFixture(tmp.resolve("releases"), List.of(keys.key("alice"), keys.key("bob")), "test",
                Clock.systemUTC()).firmwareRelease("1.1.0");
        release = operator.uploadRelease(archive).path("id").asLong();
        for (String id : List.of("gw-1", "gw-2")) {
            pki.issueDevice(id);
            operator.assign(id, release);
            operator.tag(id, "wave");
        }
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    /** Runs the CLI, capturing both picocli's writers and System.out (the rollout commands print there). */
    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GantryCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        PrintStream saved = System.out;
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(direct, true, StandardCharsets.UTF_8));
            exit = cli.execute(args);
        } finally {
            System.setOut(saved);
        }
        return new Run(exit, out + direct.toString(StandardCharsets.UTF_8), err.toString());
    }

    static Run op(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--backend", backend.baseUri().toString(), "--pki", pki.dir().toString(), "--operator", "ops"));
        return cli(all.toArray(String[]::new));
    }

    static HttpClient device(String id) throws Exception {
        ProtectedKeyStore ks = pki.loadDevice(id);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks.keyStore(), ks.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(pki.rootCaPem()));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }

    @Test
    void releasesAreListedAsATableAndShownAsJson() throws Exception {
        Run list = op("releases", "list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().startsWith("ID  NAME"), list.out());
        assertTrue(list.out().contains("acme-sensor-fw  1.1.0    firmware  acme-sensor  2"), list.out());
        Run show = op("releases", "show", String.valueOf(release), "--json");
        assertEquals(0, show.exit(), show.err());
        assertEquals("sensor.img", show.json().at("/payloads/0/name").asText());
    }

    @Test
    void aDeviceIsShownWithItsHistoryAndItsTextCannotDriveTheTerminal() throws Exception {
        HttpClient gw = device("gw-1");
        HttpResponse<String> put = gw.send(HttpRequest.newBuilder(URI.create(backend.baseUri() + "/DEFAULT/controller/v1/gw-1/configData"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"merge\",\"data\":{\"site\":\"\\u001b[2Jnorth\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        Run show = op("devices", "show", "gw-1");
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("site       ?[2Jnorth"), show.out());
        assertFalse(show.out().contains("\u001b"), "no escape character reaches the terminal");
        assertTrue(show.out().contains("PENDING"), "the assignment is in the history: " + show.out());
        assertTrue(show.out().contains("GOOD"), "the device's certificate is listed: " + show.out());
        JsonNode json = op("devices", "show", "gw-1", "--json").json();
        assertEquals("\u001b[2Jnorth", json.at("/attributes/site").asText(), "--json keeps the exact value for scripts");
        assertEquals("gw-1", json.at("/target/controllerId").asText());

        Run missing = op("devices", "show", "gw-404");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("TARGET_NOT_FOUND"), missing.err());
    }

    @Test
    void listsTheBackendDoesNotServeSaySoInsteadOfPrintingNothing() throws Exception {
        check(op("devices", "list"), () -> operator.targets(50));
        check(op("alerts", "list"), () -> operator.alerts());
        check(op("alerts", "list", "--state", "OPEN", "--page", "0", "--size", "5"),
                () -> operator.alerts(java.util.Map.of("state", "OPEN"), 0, 5).items());
        check(op("rollouts", "list", "--size", "5"), () -> operator.rollouts(java.util.Map.of(), 0, 5).items());
    }

    interface Call {
        JsonNode call() throws Exception;
    }

    /** Where the backend serves the list the command succeeds; where it does not, the command says so and fails. */
    private static void check(Run r, Call direct) throws Exception {
        boolean served;
        try {
            direct.call();
            served = true;
        } catch (io.gantry.cli.mgmt.ManagementException e) {
            assertEquals(404, e.status(), e.getMessage());
            served = false;
        }
        if (served) {
            assertEquals(0, r.exit(), r.err());
        } else {
            assertEquals(1, r.exit(), r.out());
            assertTrue(r.err().contains("not available on this backend"), r.err());
        }
    }

    @Test
    void securityEventsAreListed() throws Exception {
        assertEquals(403, device("gw-2").send(HttpRequest.newBuilder(URI.create(backend.baseUri() + "/rest/v1/releases")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        Run list = op("events", "list", "--limit", "10");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains("WRONG_ROLE") && list.out().contains("CN=gw-2"), list.out());
        assertTrue(list.out().matches("(?s).*\\nrows 1-\\d+ of \\d+ \\(page 0, size 10\\)\\R"), "the page and the total: " + list.out());
        Run one = op("events", "list", "--code", "WRONG_ROLE", "--page", "0", "--size", "1");
        assertEquals(0, one.exit(), one.err());
        assertTrue(one.out().contains("rows 1-1 of "), one.out());
        Run bad = op("events", "list", "--size", "501");
        assertEquals(1, bad.exit(), bad.out());
        assertTrue(bad.err().contains("BAD_REQUEST"), bad.err());
        assertTrue(op("events", "list", "--json").json().isArray());
    }

    @Test
    void aRolloutIsCreatedPausedWatchedResumedAndCancelled() throws Exception {
        Run created = op("rollouts", "create", "--name", "wave", "--release", String.valueOf(release), "--tag", "wave",
                "--percentages", "100", "--json");
        assertEquals(0, created.exit(), created.err());
        String id = String.valueOf(created.json().path("id").asLong());
        backend.rollouts().tick();
        assertEquals("PAUSED", op("rollouts", "pause", id, "--json").json().path("state").asText());
        Run watch = op("rollouts", "watch", id, "--interval", "PT0.2S", "--width", "10");
        assertEquals(1, watch.exit(), "a paused rollout waits for a person: " + watch.out());
        assertTrue(watch.out().contains("rollout " + id + " [>>>>>>>>>>] 0/2 done: 0 succeeded, 0 failed, 2 open  PAUSED"),
                watch.out());
        assertEquals("RUNNING", op("rollouts", "resume", id, "--json").json().path("state").asText());
        Run cancel = op("rollouts", "cancel", id);
        assertEquals(0, cancel.exit(), cancel.err());
        assertTrue(cancel.out().startsWith("rollout " + id + " wave: CANCELED"), cancel.out());
        Run list = op("rollouts", "list", "--json");
        JsonNode mine = null;
        for (JsonNode r : list.json()) {
            mine = String.valueOf(r.path("id").asLong()).equals(id) ? r : mine;
        }
        assertEquals("CANCELED", mine.path("state").asText(), list.out());
    }

    @Test
    void watchingAnEmptyRolloutEndsWhenItFinishes() throws Exception {
        Run created = op("rollout", "create", "--name", "nobody", "--release", String.valueOf(release), "--tag", "no-such-tag",
                "--percentages", "100", "--json");
        String id = String.valueOf(created.json().path("id").asLong());
        Run watch = op("rollouts", "watch", id, "--interval", "PT0.2S", "--json");
        assertEquals(0, watch.exit(), watch.out() + watch.err());
        String[] lines = watch.out().strip().split("\n");
        assertEquals("FINISHED", JSON.readTree(lines[lines.length - 1]).path("state").asText());
    }

    @Test
    void theDemosFleetHealthSummaryReadsTheLiveBackend() throws Exception {
        String summary = io.gantry.demo.FleetHealth.summary(operator);
        assertTrue(summary.contains("1 releases"), summary);
        long devices = operator.targets(java.util.Map.of(), 0, 500).items().size();
        assertTrue(summary.startsWith(devices + " devices; "), devices + " targets, summary " + summary);
        assertTrue(summary.contains("; 0 open alerts;"), summary);
        assertTrue(summary.matches(".*; [0-9]+ device certificates \\(0 expired or expiring within 30 days\\);.*"), summary);
        assertTrue(summary.contains("download log intact (0 entries)"), summary);
        assertTrue(summary.contains("rollouts: "), summary);
    }
}
