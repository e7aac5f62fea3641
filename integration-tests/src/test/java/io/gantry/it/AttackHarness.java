package io.gantry.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackage;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.gantry.api.agent.UpdateAgent;
import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.DeviceUpdateRequest;
import io.gantry.api.device.DownstreamDeviceUpdater;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.RejectionCode;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.it.DdiStub.Artifact;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.MetadataJson;
import io.gantry.release.PemFiles;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.SignatureEnvelope;
import io.gantry.testing.InMemoryReleases;
import io.gantry.testing.TestReleases;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkUtil;

/**
 * The gateway under attack and the one assertion every attack goes through. The gateway runs its
 * real bundles with a device identity from a test PKI, and its agent polls a hostile backend on
 * loopback ({@link DdiStub}). {@link #assertRejected} checks what "rejected" means (THREATS.md)
 * as far as the gateway shows it:
 * <ol>
 * <li>the expected stable code with a message; for anything the gateway's agent handled, a
 * {@link RejectionCode}, which the backend records as a security event (its
 * {@code FeedbackMessage.reportedRejection}); over the backend, the closed/failure feedback
 * {@code CODE: message} itself;</li>
 * <li>nothing activated and (3) no trusted state changed: a {@link GatewaySnapshot} before and
 * after is equal (bundles, components, counters, trust roots, identity, committed slots, devices);</li>
 * <li value="4">nothing lost: the plugin bundle active, its component satisfied, none of ours
 * unsatisfied or failed, the sensor booting the image of the version it reports;</li>
 * <li value="6">bounded: staging empty and the attempt done within {@link #BOUND}.</li>
 * </ol>
 * (5) recoverable is {@link #installNextGenuineFirmware}, run by each test after its attacks.
 */
final class AttackHarness {
    static final String DEVICE = "gw-attacks-it";
    static final String FW = "acme-sensor-fw";
    static final String SENSOR_TYPE = "acme-sensor";
    static final String PLUGIN = "com.acme.gantry.sensor";
    /** Bound on one attempt, poll interval and download included. */
    static final Duration BOUND = Duration.ofSeconds(20);
    private static final String STUB_PROPERTIES = "ddi-stub.properties";
    /** The hostile backend, one per framework; stopped with the test probe. */
    private static DdiStub backend;

    private final BundleContext context;
    private final GatewayContainer gateway;
    private final GatewayFixture f;

    /** What one attempt produced: the stable code, its message, and how it was reported. */
    record Outcome(String code, String message, String reported) {
    }

    /** One way of offering a release to the gateway. */
    interface Attempt {
        Outcome run() throws Exception;
    }

    /**
     * Outside the framework: a device certificate from a test PKI for the keystore, the agent
     * pointed at a free loopback port, and the stub's server key and client CA for later.
     */
    static Option[] options(GatewayFixture fixture) throws Exception {
        Path home = fixture.home();
        PkiDirectory pki = PkiDirectory.create(home.resolve("pki"), PkiDirectory.DEFAULT_SERVER_SANS);
        Path identity = Files.createDirectories(home.resolve("identity"));
        Path p12 = Files.copy(pki.issueDevice(DEVICE), identity.resolve("device.p12"));
        Path pass = Files.copy(Pkcs12Files.passwordFile(pki.deviceKeyStore(DEVICE)), identity.resolve("device.p12.pass"));
        // The gateway's own TLS key, from our CA, kept as a would-be release signer.
        ProtectedKeyStore device = Pkcs12Files.load(p12, pass);
        PemFiles.writePublicKey(home.resolve("keys/device-tls.pem"), device.chain().get(0).getPublicKey());
        Files.write(home.resolve("keys/device-tls.pk8"), device.privateKey().getEncoded());
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(fixture.conf().resolve("io.gantry.keystore.file.config"), "keystorePath=\"" + p12
                + "\"\npasswordFile=\"" + pass + "\"\ntrustAnchorPath=\"" + pki.rootCaPem() + "\"\n");
        Files.writeString(fixture.conf().resolve("io.gantry.agent.config"),
                "backendUrl=\"https://127.0.0.1:" + port + "\"\npollSeconds=I\"1\"\n");
        Properties stub = new Properties();
        stub.setProperty("port", Integer.toString(port));
        stub.setProperty("serverKeyStore", pki.serverKeyStore().toString());
        stub.setProperty("serverPassword", Pkcs12Files.passwordFile(pki.serverKeyStore()).toString());
        stub.setProperty("clientCa", pki.rootCaPem().toString());
        try (OutputStream out = Files.newOutputStream(home.resolve(STUB_PROPERTIES))) {
            stub.store(out, "hostile loopback backend");
        }
        return GatewayContainer.options(fixture.conf(),
                systemProperty(GatewayFixture.HOME_PROPERTY).value(home.toString()),
                bootDelegationPackage("com.sun.net.httpserver"));
    }

    /** Inside the framework: starts the backend once and waits for the agent's first poll. */
    AttackHarness(BundleContext context, GatewayContainer gateway, GatewayFixture f) throws Exception {
        this.context = context;
        this.gateway = gateway;
        this.f = f;
        startBackend(f);
        gateway.service(DownstreamDeviceUpdater.class);
        gateway.service(UpdateAgent.class);
        backend.awaitPoll(BOUND);
        if (f.sensorState("sensor-1").isEmpty()) {
            // The sensor's flash gets its factory state at its first update: make that happen
            // before any snapshot, so a snapshot compares a provisioned device.
            installNextGenuineFirmware();
        }
    }

    /** Runs one attempt between two snapshots and checks what "rejected" means (class Javadoc). */
    Outcome assertRejected(String attack, String expectedCode, Attempt attempt) throws Exception {
        GatewaySnapshot before = GatewaySnapshot.take(context, gateway, f);
        assertTrue(attack + ": staging not empty before the attempt: " + before.staging(), before.staging().isEmpty());
        long start = System.nanoTime();
        Outcome outcome = attempt.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // (1)
        assertEquals(attack + ": " + outcome, expectedCode, outcome.code());
        assertTrue(attack + ": no message", outcome.message() != null && !outcome.message().isBlank());
        if (!outcome.reported().startsWith("device")) {
            assertTrue(attack + ": " + outcome.code() + " is not a security event code",
                    Stream.of(RejectionCode.values()).anyMatch(c -> c.name().equals(outcome.code())));
        }
        // (2), (3), and (6) staging empty
        GatewaySnapshot after = GatewaySnapshot.take(context, gateway, f);
        List<String> changed = before.differences(after);
        assertTrue(attack + " changed the gateway: " + changed, changed.isEmpty());
        // (4)
        assertStillWorking(attack, after);
        // (6) time
        assertTrue(attack + " took " + took, took.compareTo(BOUND) < 0);
        List<DdiStub.Feedback> stray = backend.drainClosed();
        assertTrue(attack + ": unexpected actions closed " + stray, stray.isEmpty());
        System.out.printf("rejected %-70s %-19s in %5d ms; %s%n", attack, outcome.code(), took.toMillis(),
                outcome.reported());
        return outcome;
    }

    private void assertStillWorking(String attack, GatewaySnapshot after) throws Exception {
        assertEquals(attack + ": plugin state", Bundle.ACTIVE, gateway.bundle(PLUGIN).getState());
        after.components().forEach((name, states) -> {
            // Unconfigured components (state 1: PKCS#11 keystore and counter, renewal) stay as
            // they were; none of ours may lack a reference (2) or have failed to activate (16).
            if (name.startsWith(PLUGIN + "/") || name.startsWith("io.gantry.")) {
                assertTrue(attack + ": component " + name + " " + states,
                        !states.contains("state 2") && !states.contains("state 16"));
            }
        });
        assertEquals(attack + ": the plugin's component", "[satisfied]",
                after.components().get(PLUGIN + "/com.acme.gantry.sensor.internal.AcmeSensorUpdater"));
        assertEquals(attack + ": device type still served", SENSOR_TYPE,
                gateway.service(DownstreamDeviceUpdater.class).deviceType());
        Properties boot = f.sensorState("sensor-1");
        String version = boot.getProperty("version");
        Path active = f.home().resolve("sensors/sensor-1/slot-" + boot.getProperty("active") + ".img");
        assertTrue(attack + ": the active slot boots " + version,
                Files.readString(active).startsWith("ACME-FW " + version + "\n"));
    }

    /** Served by the hostile backend: the agent fetches it and reports closed/failure upstream. */
    Attempt viaBackend(Path archive) throws Exception {
        try {
            ReleaseMetadata m = MetadataJson.parse(TestReleases.metadataOf(archive));
            return viaBackend(m.name(), m.version(), artifacts(archive));
        } catch (ReleaseRejectedException e) {
            return viaBackend(artifacts(archive));
        }
    }

    /** Served by the hostile backend as crafted artifacts (file name to bytes). */
    Attempt viaBackend(Map<String, Artifact> artifacts) {
        return viaBackend(FW, "crafted", artifacts);
    }

    private Attempt viaBackend(String name, String version, Map<String, Artifact> artifacts) {
        return () -> {
            String action = backend.offer(name, version, artifacts);
            DdiStub.Feedback fb = backend.awaitClosed(action, BOUND.plusSeconds(10));
            assertEquals("the attack was installed: " + fb.details(), "failure", fb.finished());
            String detail = fb.details().get(0);
            int colon = detail.indexOf(": ");
            assertTrue("feedback is 'CODE: message': " + detail, colon > 0);
            return new Outcome(detail.substring(0, colon), detail.substring(colon + 2),
                    "upstream: action " + action + " closed/failure");
        };
    }

    /** Applied from a local source (a USB stick, a file): no backend, the agent's exception is the report. */
    Attempt viaLocalSource(ReleaseSource source) {
        return () -> {
            try {
                gateway.service(UpdateAgent.class).apply(source);
            } catch (UpdateFailedException e) {
                return new Outcome(e.code().name(), e.getMessage(), "local: UpdateFailedException (no upstream)");
            }
            throw new AssertionError("applied " + source.describe());
        };
    }

    Attempt viaLocalArchive(Path archive) {
        return () -> {
            try (ArchiveReleaseSource source = ReleaseArchive.open(archive)) {
                return viaLocalSource(source).run();
            } catch (ReleaseRejectedException e) {
                return new Outcome(e.code().name(), e.getMessage(), "local: archive refused on opening (no upstream)");
            }
        };
    }

    /** A compromised gateway bypasses its verifier: only the device's own check stands. */
    Attempt pushedToDevice(DeviceUpdateRequest forged) {
        return () -> {
            try {
                gateway.service(DownstreamDeviceUpdater.class).update(forged);
            } catch (DeviceUpdateException e) {
                return new Outcome(e.code().name(), e.getMessage(), "device: DeviceUpdateException to the gateway");
            }
            throw new AssertionError("the device installed " + forged.metadata().version());
        };
    }

    /**
     * A local source over {@code archive} that, once the verifier has staged and checked a
     * payload (it closes the source stream then), overwrites the staged copy with {@code evil},
     * as someone with write access to the gateway's storage would before the install reads it.
     */
    ReleaseSource swappingStaged(ArchiveReleaseSource archive, byte[] evil) {
        return new InMemoryReleases.ForwardingSource(archive) {
            @Override
            public InputStream openPayload(String name) throws IOException {
                return new FilterInputStream(archive.openPayload(name)) {
                    @Override
                    public void close() throws IOException {
                        super.close();
                        swapStaged(name, evil);
                    }
                };
            }
        };
    }

    private void swapStaged(String name, byte[] bytes) throws IOException {
        Path staging = GatewaySnapshot.dataDir(context, gateway, "io.gantry.verifier").resolve("staging");
        try (Stream<Path> releases = Files.list(staging)) {
            for (Path dir : releases.toList()) {
                Path staged = dir.resolve(name);
                if (Files.exists(staged)) {
                    staged.toFile().setWritable(true);
                    Files.write(staged, bytes);
                    return;
                }
            }
        }
        throw new AssertionError("nothing staged as " + name + " in " + staging);
    }

    /** Installs a genuine release through the backend; it must succeed and leave staging empty. */
    void installGenuine(Path archive) throws Exception {
        installGenuine(archive, Map.of());
    }

    /**
     * As {@link #installGenuine(Path)}, with unsigned artifacts offered beside the release.
     *
     * @return the artifacts the gateway downloaded
     */
    List<String> installGenuine(Path archive, Map<String, Artifact> unsigned) throws Exception {
        ReleaseMetadata m = MetadataJson.parse(TestReleases.metadataOf(archive));
        Map<String, Artifact> artifacts = artifacts(archive);
        artifacts.putAll(unsigned);
        String action = backend.offer(m.name(), m.version(), artifacts);
        DdiStub.Feedback fb = backend.awaitClosed(action, BOUND.plusSeconds(10));
        assertEquals("genuine " + m.name() + " " + m.version() + ": " + fb.details(), "success", fb.finished());
        assertTrue(GatewaySnapshot.take(context, gateway, f).staging().isEmpty());
        return backend.fetched(action);
    }

    /** (5) recoverable: the next genuine firmware installs with no manual step. */
    void installNextGenuineFirmware() throws Exception {
        String next = f.nextFirmwareVersion();
        installGenuine(firmware(next, f.keys("alice", "bob")));
        assertEquals(next, f.sensorState("sensor-1").getProperty("version"));
    }

    /** An Acme sensor firmware release valid for a day. */
    Path firmware(String version, List<KeyPair> signers) throws Exception {
        Instant now = Instant.now();
        return firmware(version, signers, now.minusSeconds(5), now.plus(Duration.ofDays(1)));
    }

    Path firmware(String version, List<KeyPair> signers, Instant built, Instant expires) throws Exception {
        return f.release(FW, version, ReleaseKind.FIRMWARE, SENSOR_TYPE, Map.of("sensor.img", f.firmwareImage(version)),
                signers, built, expires, GatewayFixture.firmwareCounter());
    }

    /** @return the archive as backend artifacts: metadata, signature envelope, each payload */
    static Map<String, Artifact> artifacts(Path archive) throws Exception {
        Map<String, Artifact> out = new LinkedHashMap<>();
        out.put(ReleaseArchive.METADATA, Artifact.of(TestReleases.metadataOf(archive)));
        out.put(ReleaseArchive.SIGNATURES, Artifact.of(TestReleases.signaturesOf(archive)));
        TestReleases.payloadsOf(archive).forEach((name, bytes) -> out.put(name, Artifact.of(bytes)));
        return out;
    }

    /** @return the archive's artifacts with another signature envelope */
    static Map<String, Artifact> withSignatures(Path archive, byte[] signatures) throws Exception {
        Map<String, Artifact> a = artifacts(archive);
        a.put(ReleaseArchive.SIGNATURES, Artifact.of(signatures));
        return a;
    }

    /** @return the archive's artifacts with other metadata bytes and envelope, payloads kept */
    static Map<String, Artifact> withMetadata(Path archive, byte[] metadata, byte[] signatures) throws Exception {
        Map<String, Artifact> a = withSignatures(archive, signatures);
        a.put(ReleaseArchive.METADATA, Artifact.of(metadata));
        return a;
    }

    /**
     * What a compromised gateway hands a device (no verifier ever saw it): one Acme image whose
     * header names {@code imageVersion}, offered as {@code version} for {@code target}, with
     * metadata signed by {@code signers} (none: unsigned; the gateway's own key; or, for a replay,
     * genuine keys) and, if {@code swap} is given, another image than the one signed.
     */
    static DeviceUpdateRequest toDevice(String target, String version, String imageVersion, List<KeyPair> signers,
            byte[] swap) throws Exception {
        byte[] image = ("ACME-FW " + imageVersion + "\nforged body\n").getBytes(StandardCharsets.UTF_8);
        PayloadInfo info = new PayloadInfo("sensor.img", TestReleases.sha256(image), image.length);
        ReleaseMetadata m = new ReleaseMetadata(ReleaseMetadata.SCHEMA, FW, version, ReleaseKind.FIRMWARE,
                target, Instant.now().minusSeconds(5), Instant.now().plusSeconds(3600), 1, "attacker", List.of(info));
        byte[] metadata = MetadataJson.write(m);
        byte[] envelope = signers.isEmpty() ? SignatureEnvelope.write(List.of()) : TestReleases.envelope(metadata, signers);
        return new DeviceUpdateRequest("sensor-1", m, metadata, envelope,
                List.of(InMemoryReleases.payload(info, swap != null ? swap : image)), List.of());
    }

    private static void startBackend(GatewayFixture f) throws Exception {
        synchronized (AttackHarness.class) {
            if (backend != null) {
                return;
            }
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(f.home().resolve(STUB_PROPERTIES))) {
                p.load(in);
            }
            DdiStub stub = DdiStub.start(Integer.parseInt(p.getProperty("port")), Path.of(p.getProperty("serverKeyStore")),
                    Path.of(p.getProperty("serverPassword")), Path.of(p.getProperty("clientCa")));
            Bundle probe = FrameworkUtil.getBundle(AttackHarness.class);
            probe.getBundleContext().addBundleListener(e -> {
                if (e.getBundle().equals(probe) && e.getType() == BundleEvent.STOPPING) {
                    stub.close();
                }
            });
            backend = stub;
        }
    }
}
