package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.backend.BackendServer;
import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import io.gantry.pki.PkiDirectory;
import io.gantry.release.KeyIds;
import io.gantry.release.PemFiles;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootRotation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key-compromise drill (issue 11, item 4): the whole playbook, as an operator runs it with the
 * CLI, against a real backend over mutual TLS and a simulated fleet of five devices that verify
 * every release against their own trust root. Release manager alice's key is compromised: the
 * drill freezes the rollouts of what she signed, publishes a trust root revoking her key (signed
 * offline by both root key holders), checks that the backend uses it at once and refuses her
 * signatures, lists exactly the devices that installed what she signed, re-signs those releases
 * with fresh keys (carol, dave), rolls them forward to exactly those devices, and prints the report.
 */
class KeyCompromiseDrillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    private Path pkiDir;
    private String[] conn;

    @Test
    void theWholeKeyCompromisePlaybookAgainstASimulatedFleet() throws Exception {
        pkiDir = tmp.resolve("pki");
        Path keys = tmp.resolve("keys");
        int revocationPort = freePort();
        cli("pki", "init", "--dir", pkiDir.toString(), "--revocation-url", "http://127.0.0.1:" + revocationPort);
        cli("pki", "operator", "--dir", pkiDir.toString(), "--name", "officer");
        for (String k : List.of("root-1", "root-2", "alice", "bob", "carol", "dave")) {
            cli("key", "create", "--dir", keys.toString(), "--name", k);
        }
        Path root1 = trustRoot(keys, tmp.resolve("tr1/trust-root.json"), 1, "alice,bob", null);
        PkiDirectory pki = PkiDirectory.open(pkiDir, Clock.systemUTC());
        String alice = KeyIds.of(PemFiles.readPublicKey(keys.resolve("alice.pub.pem")));
        Path journal = tmp.resolve("incident/journal.jsonl");

        try (BackendServer backend = BackendServer.start(BackendConfig.fromPki(tmp.resolve("data"), pki, root1)
                .withRevocationPort(revocationPort), EnrollmentConfig.fromPki(pki), Clock.systemUTC())) {
            conn = new String[] {"--backend", backend.baseUri().toString(), "--pki", pkiDir.toString(), "--operator", "officer",
                "--journal", journal.toString()};
            ManagementClient ops = new ManagementClient(backend.baseUri(), pki.loadOperator("officer"), pki.rootCaPem());
            TrustRoot v1 = accepted(root1);
            Map<String, SimulatedDevice> fleet = new LinkedHashMap<>();
            for (String id : List.of("dev-1", "dev-2", "dev-3", "dev-4", "dev-5")) {
                pki.issueDevice(id);
                fleet.put(id, new SimulatedDevice(id, pki.loadDevice(id), pki.rootCaPem(), backend.baseUri(), v1, Clock.systemUTC()));
                assertEquals("idle", fleet.get(id).poll());
            }

            // Before the incident: alice and bob signed everything; dev-1 and dev-2 run fw 1.0.0 (a rollout),
            // dev-3 runs app 1.0.0; fw 1.1.0 is rolling out to dev-4, which has not polled yet; dev-5 runs nothing of it.
            long fw = publish(ops, keys, "fw", "1.0.0", "alice", "bob");
            long app = publish(ops, keys, "app", "1.0.0", "alice", "bob");
            long fwNext = publish(ops, keys, "fw", "1.1.0", "alice", "bob");
            for (String id : List.of("dev-1", "dev-2")) {
                ops.tag(id, "wave-1");
            }
            ops.tag("dev-4", "wave-2");
            long wave1 = rollout(ops, backend, "wave 1", fw, "wave-1");
            assertEquals("installed fw 1.0.0", fleet.get("dev-1").poll());
            assertEquals("installed fw 1.0.0", fleet.get("dev-2").poll());
            ops.assign("dev-3", app);
            assertEquals("installed app 1.0.0", fleet.get("dev-3").poll());
            backend.rollouts().tick();
            assertEquals("FINISHED", ops.rollout(wave1).path("state").asText());
            long wave2 = rollout(ops, backend, "wave 2", fwNext, "wave-2");
            assertEquals("RUNNING", ops.rollout(wave2).path("state").asText());

            // 1. Freeze: the running rollout of a release alice signed is paused, and the pause is journaled.
            incident("freeze", "--key", alice);
            JsonNode frozen = ops.rollout(wave2);
            assertEquals("PAUSED", frozen.path("state").asText());
            assertTrue(frozen.path("pauseReason").asText().contains(alice), frozen.toString());
            // Reversible: unfreeze resumes exactly what the freeze paused; the playbook then freezes again.
            incident("unfreeze", "--key", alice);
            assertEquals("RUNNING", ops.rollout(wave2).path("state").asText());
            incident("freeze", "--key", alice);
            assertEquals("PAUSED", ops.rollout(wave2).path("state").asText());

            // 2. A trust root revoking alice (carol and dave join), signed offline by both root key holders,
            //    wrapped in a trust-root release that they sign too, published and rolled out.
            Path root2 = trustRoot(keys, tmp.resolve("tr2/trust-root.json"), 2, "alice,bob,carol,dave", "alice");
            Path trustRelease = tmp.resolve("offline/trust-root-2.gantry");
            cli("incident", "key-compromise", "prepare-trust-root", "--key", alice, "--trust-root", root2.toString(),
                    "--out", trustRelease.toString(), "--journal", journal.toString());
            cli("release", "sign", "--key", keys.resolve("root-1.p12").toString(), trustRelease.toString());
            cli("release", "sign", "--key", keys.resolve("root-2.p12").toString(), trustRelease.toString());
            String published = summary(incident("publish-trust-root", "--key", alice, "--release", trustRelease.toString()));
            // Run again after a crash between the upload and the journal's entry: the same release and rollout, not twice.
            assertEquals(published, summary(incident("publish-trust-root", "--key", alice, "--release", trustRelease.toString(),
                    "--force")));
            JsonNode active = ops.get("incidents/trust-root");
            assertEquals(2, active.path("version").asLong(), "the backend uses the new root without a restart");
            assertEquals("[\"" + alice + "\"]", active.path("revokedKeyIds").toString());

            // What alice signed is refused and no longer served.
            ManagementException refused = expectRefusal(ops, keys, "fw", "1.2.0", "alice", "bob");
            assertEquals("THRESHOLD_NOT_MET", refused.code());
            assertEquals("CANCELED", ops.rollout(wave2).path("state").asText(), "the frozen rollout of a withdrawn release ends");
            ManagementException withdrawn = assertThrowsCode(() -> ops.assign("dev-5", fw));
            assertEquals("RELEASE_WITHDRAWN", withdrawn.code());

            // The fleet takes the new root; dev-4's withdrawn deployment is canceled, not installed.
            backend.rollouts().tick();
            assertEquals("canceled", fleet.get("dev-4").poll().split(" ")[0]);
            for (SimulatedDevice d : fleet.values()) {
                assertEquals("installed trust-root 2.0.0", d.poll(), d.id);
                assertEquals(2, d.trustRootVersion());
            }

            // 3. Exactly the devices that installed what alice signed.
            String listed = incident("affected-devices", "--key", alice, "--json");
            JsonNode devices = ops.get("incidents/keys/" + alice + "/devices");
            Set<String> affected = new TreeSet<>();
            devices.forEach(d -> affected.add(d.path("controllerId").asText()));
            assertEquals(Set.of("dev-1", "dev-2", "dev-3"), affected);
            assertTrue(listed.contains("device dev-3 installed app 1.0.0"), listed);

            // 4. Re-signed by the fresh keys as new versions, accepted under the new root.
            incident("resign", "--key", alice, "--sign-key", keys.resolve("carol.p12").toString(),
                    "--sign-key", keys.resolve("dave.p12").toString());
            // Resuming the playbook does not repeat a finished step.
            assertTrue(incident("resign", "--key", alice, "--sign-key", keys.resolve("carol.p12").toString())
                    .contains("already done"));

            // 5. Roll forward to exactly the devices still running the old releases.
            incident("roll-forward", "--key", alice);
            backend.rollouts().tick();
            List<String> outcomes = new ArrayList<>();
            for (SimulatedDevice d : fleet.values()) {
                outcomes.add(d.id + " " + d.poll());
            }
            assertEquals(List.of("dev-1 installed fw 1.0.0.resigned", "dev-2 installed fw 1.0.0.resigned",
                    "dev-3 installed app 1.0.0.resigned", "dev-4 idle", "dev-5 idle"), outcomes);
            backend.rollouts().tick();

            // 6. The report: every step, the withdrawn releases, the devices and the finished rollouts.
            String report = incident("report", "--key", alice, "--out", tmp.resolve("incident/report.md").toString());
            assertTrue(report.contains("# Incident report: key-compromise " + alice), report);
            assertTrue(report.contains("| fw | 1.0.0 | firmware | withdrawn (THRESHOLD_NOT_MET) |"), report);
            assertTrue(report.contains("| dev-3 | app 1.0.0 |"), report);
            assertTrue(report.contains("incident roll-forward fw 1.0.0.resigned | FINISHED | 2 | 0 | 0 |"), report);
            for (String step : List.of("freeze", "prepare-trust-root", "publish-trust-root", "affected-devices", "resign",
                    "roll-forward")) {
                assertTrue(report.contains("| " + step + " | done |"), step + " in " + report);
            }
            String events = ops.securityEvents(100).toString();
            assertTrue(events.contains("INCIDENT_STEP") && events.contains("TRUST_ROOT_ACTIVATED"), events);
            assertEquals(10, Files.readAllLines(journal).stream().filter(l -> l.contains("\"outcome\":\"done\"")).count());
        }
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Writes and signs (both root keys) a trust root whose release role for major 1 is 2 of {@code managers}. */
    private Path trustRoot(Path keys, Path json, int version, String managers, String revoke) throws Exception {
        List<String> args = new ArrayList<>(List.of("trust-root", "create", "--out", json.toString(), "--version",
                String.valueOf(version), "--root", "2:root-1,root-2", "--releases", "1:2:" + managers));
        for (String k : ("root-1,root-2," + managers).split(",")) {
            args.add("--key");
            args.add(k + "=" + keys.resolve(k + ".pub.pem"));
        }
        if (revoke != null) {
            args.add("--revoke");
            args.add(revoke);
        }
        Files.createDirectories(json.getParent());
        cli(args.toArray(new String[0]));
        cli("trust-root", "sign", "--key", keys.resolve("root-1.p12").toString(), json.toString());
        cli("trust-root", "sign", "--key", keys.resolve("root-2.p12").toString(), json.toString());
        return json;
    }

    private static TrustRoot accepted(Path json) throws Exception {
        TrustRootFiles.Signed s = TrustRootFiles.read(json);
        return TrustRootRotation.acceptStored(s.bytes(), s.signatures(), 2);
    }

    private Path build(Path keys, String name, String version, String... signers) throws Exception {
        Path payload = tmp.resolve("payloads/" + name + "-" + version + ".bin");
        Files.createDirectories(payload.getParent());
        Files.writeString(payload, name + " " + version + " image");
        Path archive = tmp.resolve("releases/" + name + "-" + version + ".gantry");
        Files.createDirectories(archive.getParent());
        cli("release", "build", "--out", archive.toString(), "--name", name, "--version", version, "--kind", "FIRMWARE",
                "--target", "acme-sensor", "--built-by", "release managers", "--payload", name + ".bin=" + payload);
        for (String s : signers) {
            cli("release", "sign", "--key", keys.resolve(s + ".p12").toString(), archive.toString());
        }
        return archive;
    }

    private long publish(ManagementClient ops, Path keys, String name, String version, String... signers) throws Exception {
        return ops.uploadRelease(build(keys, name, version, signers)).path("id").asLong();
    }

    private ManagementException expectRefusal(ManagementClient ops, Path keys, String name, String version, String... signers)
            throws Exception {
        Path archive = build(keys, name, version, signers);
        return assertThrowsCode(() -> ops.uploadRelease(archive));
    }

    private static long rollout(ManagementClient ops, BackendServer backend, String name, long release, String tag) throws Exception {
        ObjectNode spec = JSON.createObjectNode().put("name", name).put("releaseId", release);
        spec.putObject("filter").putArray("tags").add(tag);
        spec.putArray("percentages").add(100);
        long id = ops.createRollout(spec).path("id").asLong();
        backend.rollouts().tick();
        return id;
    }

    /** A management call expected to be refused. */
    @FunctionalInterface
    interface Call {
        Object run() throws Exception;
    }

    private static ManagementException assertThrowsCode(Call call) throws Exception {
        try {
            call.run();
        } catch (ManagementException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }

    /** @return the step's summary line ({@code <step>: ...}) of its output */
    private static String summary(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** Runs {@code gantry incident key-compromise <step> ...} with the connection options; @return its output */
    private String incident(String step, String... args) {
        List<String> all = new ArrayList<>(List.of("incident", "key-compromise", step));
        all.addAll(List.of(args));
        all.addAll(List.of(conn));
        return cli(all.toArray(new String[0]));
    }

    private static String cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = GantryCli.commandLine().execute(args);
        } finally {
            System.setOut(saved);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        assertEquals(0, code, String.join(" ", args) + "\n" + out);
        return out;
    }
}
