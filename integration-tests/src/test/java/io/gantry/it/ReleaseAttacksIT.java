package io.gantry.it;

import static io.gantry.it.AttackHarness.PLUGIN;
import static io.gantry.it.AttackHarness.SENSOR_TYPE;
import static io.gantry.it.AttackHarness.artifacts;
import static io.gantry.it.AttackHarness.toDevice;
import static io.gantry.it.AttackHarness.withMetadata;
import static io.gantry.it.AttackHarness.withSignatures;
import static io.gantry.testing.TestReleases.metadataOf;
import static io.gantry.testing.TestReleases.payloadOf;
import static io.gantry.testing.TestReleases.signaturesOf;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.it.DdiStub.Artifact;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRootJson;
import io.gantry.testing.InMemoryReleases;
import io.gantry.testing.TestReleases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * One test per release attack class of THREATS.md, against the gateway's real bundles in Felix.
 * Releases arrive the way an attacker would bring them: served by a hostile backend that the
 * agent polls over mutual TLS, as a local archive, or, for a compromised gateway, pushed straight
 * to the device. Every attempt goes through {@link AttackHarness#assertRejected}, which checks
 * what "rejected" means; every test ends with a genuine update installing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReleaseAttacksIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    BundleContext context;

    private GatewayContainer gateway;
    private GatewayFixture f;
    private AttackHarness h;

    @Configuration
    public Option[] config() throws Exception {
        return AttackHarness.options(GatewayFixture.create());
    }

    @Before
    public void setUp() throws Exception {
        gateway = new GatewayContainer(context);
        f = GatewayFixture.fromSystemProperty();
        h = new AttackHarness(context, gateway, f);
    }

    @After
    public void tearDown() {
        gateway.close();
    }

    @Test
    public void arbitrarySoftware() throws Exception {
        String v = f.nextFirmwareVersion();
        h.assertRejected("unsigned", "MISSING_SIGNATURE", h.viaBackend(h.firmware(v, List.of())));
        h.assertRejected("self-signed by keys nobody trusts", "UNKNOWN_SIGNER",
                h.viaBackend(h.firmware(v, List.of(TestReleases.newKey(), TestReleases.newKey()))));
        h.assertRejected("signed by the gateway's own TLS key from our CA", "UNKNOWN_SIGNER",
                h.viaBackend(h.firmware(v, f.keys("device-tls"))));
        h.assertRejected("signed by trusted keys outside the release role (root keys)", "UNAUTHORIZED_SIGNER",
                h.viaBackend(h.firmware(v, f.keys("root1", "root2"))));
        // A payload outside the signed metadata (Mender MEN-9109) is never even downloaded:
        // every byte the gateway installs is covered by the signatures.
        Path genuine = h.firmware(v, f.keys("alice", "bob"));
        List<String> fetched = h.installGenuine(genuine, Map.of("install.sh", Artifact.of(utf8("#!/bin/sh\n"))));
        assertEquals(List.of("release.json", "signatures.json", "sensor.img"), fetched);
        Properties boot = f.sensorState("sensor-1");
        assertEquals(v, boot.getProperty("version"));
        assertEquals(new String(payloadOf(genuine, "sensor.img"), StandardCharsets.UTF_8),
                Files.readString(f.home().resolve("sensors/sensor-1/slot-" + boot.getProperty("active") + ".img")));
    }

    @Test
    public void thresholdEvasion() throws Exception {
        String v = f.nextFirmwareVersion();
        Path aliceOnly = h.firmware(v, f.keys("alice"));
        ReleaseSignature first = SignatureEnvelope.parse(signaturesOf(aliceOnly)).get(0);
        ReleaseSignature second = f.sign(metadataOf(aliceOnly), "alice");
        assertNotEquals("ECDSA gives a fresh blob each time", HexFormat.of().formatHex(first.value()),
                HexFormat.of().formatHex(second.value()));
        h.assertRejected("the same signer twice (two ECDSA blobs)", "THRESHOLD_NOT_MET",
                h.viaBackend(withSignatures(aliceOnly, SignatureEnvelope.write(List.of(first, second)))));
        ReleaseSignature alias = new ReleaseSignature("a".repeat(64), first.value());
        h.assertRejected("the same signer under a second key id", "THRESHOLD_NOT_MET",
                h.viaBackend(withSignatures(aliceOnly, SignatureEnvelope.write(List.of(first, alias)))));

        long root = gateway.service(ReleaseVerifier.class).trustRootVersion();
        // A policy that lowers the threshold, properly signed by both root keys: the verifier
        // refuses a threshold of 0, and of 1 below its configured minimum of 2.
        for (int threshold : new int[] {0, 1}) {
            byte[] lowered = utf8(new String(TrustRootJson.write(f.trustRoot(root + 1, "alice", "bob")),
                    StandardCharsets.UTF_8).replaceAll("(\"major\":\\d+),\"threshold\":2", "$1,\"threshold\":" + threshold));
            h.assertRejected("a rotation to release threshold " + threshold, "THRESHOLD_TOO_LOW",
                    h.viaBackend(f.trustRootRelease(lowered, root + 1, "root1", "root2")));
        }
        h.installGenuine(f.trustRootRelease(f.trustRoot(root + 1, List.of("alice", "bob", "carol"), List.of("bob")),
                "root1", "root2"));
        h.assertRejected("a revoked signer", "THRESHOLD_NOT_MET", h.viaBackend(h.firmware(v, f.keys("alice", "bob"))));
        h.installGenuine(f.trustRootRelease(f.trustRoot(root + 2, "alice", "carol"), "root1", "root2"));
        h.assertRejected("a rotated-out signer", "THRESHOLD_NOT_MET", h.viaBackend(h.firmware(v, f.keys("alice", "bob"))));
        h.installGenuine(h.firmware(v, f.keys("alice", "carol")));
        // Give the other tests of this class their signer pair back.
        h.installGenuine(f.trustRootRelease(f.trustRoot(root + 3, "alice", "bob"), "root1", "root2"));
        h.installNextGenuineFirmware();
    }

    @Test
    public void signedVersusParsedBytes() throws Exception {
        Path genuine = h.firmware(f.nextFirmwareVersion(), f.keys("alice", "bob"));
        byte[] metadata = metadataOf(genuine);
        byte[] signatures = signaturesOf(genuine);
        String json = new String(metadata, StandardCharsets.UTF_8);
        byte[] duplicate = utf8(json.replaceFirst("^\\{", "{\"version\":\"99.0.0\","));
        h.assertRejected("duplicate JSON key, signed by the threshold", "MALFORMED",
                h.viaBackend(withMetadata(genuine, duplicate, f.envelope(duplicate, "alice", "bob"))));
        byte[] extra = utf8(json.replaceFirst("^\\{", "{\"install\":\"/bin/sh\","));
        h.assertRejected("unsigned extra field in the metadata", "MALFORMED",
                h.viaBackend(withMetadata(genuine, extra, signatures)));
        h.assertRejected("trailing data after the signed document", "MALFORMED",
                h.viaBackend(withMetadata(genuine, utf8(json + "{\"version\":\"99.0.0\"}"), signatures)));
        byte[] pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(JSON.readTree(json));
        h.assertRejected("same meaning, other bytes than signed", "BAD_SIGNATURE",
                h.viaBackend(withMetadata(genuine, pretty, signatures)));
        ObjectNode wrapper = (ObjectNode) JSON.readTree(signatures);
        wrapper.set("metadata", JSON.readTree(json));
        h.assertRejected("unsigned wrapper field beside the signatures", "MALFORMED",
                h.viaBackend(withSignatures(genuine, JSON.writeValueAsBytes(wrapper))));
        ObjectNode withAlg = (ObjectNode) JSON.readTree(signatures);
        ((ArrayNode) withAlg.get("signatures")).forEach(s -> ((ObjectNode) s).put("alg", "none"));
        h.assertRejected("an algorithm named in the envelope", "MALFORMED",
                h.viaBackend(withSignatures(genuine, JSON.writeValueAsBytes(withAlg))));
        List<ReleaseSignature> p1363 = List.of(TestReleases.p1363(metadata, f.key("alice")),
                TestReleases.p1363(metadata, f.key("bob")));
        h.assertRejected("signatures in an encoding the pinned keys' scheme does not use", "BAD_SIGNATURE",
                h.viaBackend(withSignatures(genuine, SignatureEnvelope.write(p1363))));
        h.installGenuine(genuine);
    }

    @Test
    public void rollback() throws Exception {
        Path older = h.firmware(f.nextFirmwareVersion(), f.keys("alice", "bob"));
        h.installGenuine(older);
        Path installed = h.firmware(f.nextFirmwareVersion(), f.keys("alice", "bob"));
        h.installGenuine(installed);
        h.assertRejected("an older genuine release replayed", "ROLLBACK", h.viaBackend(older));
        h.assertRejected("the installed release replayed", "ROLLBACK", h.viaBackend(installed));
        for (String bsn : List.of("io.gantry.rollback", "io.gantry.verifier")) {
            // The counters and the verifier start afresh from their stored state, as after a reboot.
            gateway.bundle(bsn).stop();
            gateway.bundle(bsn).start();
        }
        gateway.service(ReleaseVerifier.class);
        h.assertRejected("an older genuine release replayed after the counters restarted", "ROLLBACK",
                h.viaBackend(older));

        long raised = GatewayFixture.firmwareCounter() + 4;
        h.installGenuine(countedFirmware(f.nextFirmwareVersion(), raised));
        GatewayFixture.raiseFirmwareCounter(raised);
        h.assertRejected("a newer version with a lower security counter", "ROLLBACK",
                h.viaBackend(countedFirmware(f.nextFirmwareVersion(), raised - 1)));
        String renamedVersion = f.nextFirmwareVersion();
        Instant now = Instant.now();
        h.assertRejected("the same device type's firmware under a new name, with a lower counter", "ROLLBACK",
                h.viaBackend(f.release("acme-sensor-fw-renamed", renamedVersion, ReleaseKind.FIRMWARE, SENSOR_TYPE,
                        Map.of("sensor.img", f.firmwareImage(renamedVersion)), f.keys("alice", "bob"),
                        now.minusSeconds(5), now.plus(Duration.ofDays(1)), raised - 1)));
        h.assertRejected("a genuine plugin bundle older than the running one", "ROLLBACK",
                h.viaBackend(f.pluginRelease("0.0.1", "alice", "bob")));
        h.installNextGenuineFirmware();
    }

    @Test
    public void freeze() throws Exception {
        Instant now = Instant.now();
        String v = f.nextFirmwareVersion();
        h.assertRejected("expired metadata", "EXPIRED", h.viaBackend(h.firmware(v, f.keys("alice", "bob"),
                now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)))));
        // A release built an hour from now makes that the trusted time: the gateway's clock is
        // then an hour behind a time it already trusted, as after setting the clock back.
        h.installGenuine(h.firmware(v, f.keys("alice", "bob"), now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))));
        h.assertRejected("metadata valid only by a clock behind the trusted time", "EXPIRED",
                h.viaBackend(h.firmware(f.nextFirmwareVersion(), f.keys("alice", "bob"), now.minusSeconds(5),
                        now.plus(Duration.ofMinutes(30)))));
        h.installNextGenuineFirmware();
    }

    @Test
    public void mixAndMatch() throws Exception {
        String v = f.nextFirmwareVersion();
        Path thisOne = h.firmware(v, f.keys("alice", "bob"));
        String[] parts = v.split("\\.");
        Path other = h.firmware(parts[0] + "." + (Integer.parseInt(parts[1]) + 1) + ".0", f.keys("alice", "bob"));
        Map<String, Artifact> mixed = artifacts(thisOne);
        mixed.put("sensor.img", Artifact.of(payloadOf(other, "sensor.img")));
        h.assertRejected("another release's payload under this release's signed metadata", "HASH_MISMATCH",
                h.viaBackend(mixed));
        h.assertRejected("this release's metadata with another release's signatures", "BAD_SIGNATURE",
                h.viaBackend(withSignatures(thisOne, signaturesOf(other))));
        h.installGenuine(thisOne);
    }

    @Test
    public void endlessData() throws Exception {
        Path genuine = h.firmware(f.nextFirmwareVersion(), f.keys("alice", "bob"));
        byte[] payload = payloadOf(genuine, "sensor.img");
        Map<String, Artifact> endless = artifacts(genuine);
        endless.put("sensor.img", out -> {
            out.write(payload);
            byte[] more = new byte[64 * 1024];
            for (long sent = 0; sent < (1L << 30); sent += more.length) {
                out.write(more);
            }
        });
        h.assertRejected("an endless payload from the backend", "ENDLESS_DATA", h.viaBackend(endless));
        AtomicLong read = new AtomicLong();
        try (ArchiveReleaseSource archive = ReleaseArchive.open(genuine)) {
            h.assertRejected("a payload 10 MiB longer than signed", "ENDLESS_DATA",
                    h.viaLocalSource(InMemoryReleases.padded(archive, 10 * 1024 * 1024, read)));
        }
        assertTrue("read " + read.get() + " bytes of a " + payload.length + "-byte payload",
                read.get() <= payload.length + 1);
        Map<String, Artifact> truncated = artifacts(genuine);
        truncated.put("sensor.img", Artifact.of(Arrays.copyOf(payload, payload.length - 1)));
        h.assertRejected("a payload shorter than signed", "TRUNCATED", h.viaBackend(truncated));
        h.installGenuine(genuine);
    }

    @Test
    public void wrongSoftware() throws Exception {
        String v = f.nextFirmwareVersion();
        h.assertRejected("firmware for another device type", "WRONG_HARDWARE",
                h.viaBackend(f.release("other-fw", v, ReleaseKind.FIRMWARE, "other-device",
                        Map.of("fw.img", f.firmwareImage(v)), f.keys("alice", "bob"))));
        String major = nextPluginMajor();
        h.assertRejected("a gateway bundle released for a device type", "WRONG_HARDWARE",
                h.viaBackend(f.release(PLUGIN, major, ReleaseKind.BUNDLE, SENSOR_TYPE,
                        Map.of(PLUGIN + ".jar", f.pluginJar(major)), f.keys("alice", "bob"))));
        h.installNextGenuineFirmware();
    }

    @Test
    public void keyCompromise() throws Exception {
        String v = f.nextFirmwareVersion();
        h.assertRejected("one compromised release key alone", "THRESHOLD_NOT_MET",
                h.viaBackend(h.firmware(v, f.keys("alice"))));
        h.assertRejected("one compromised release key plus the attacker's own", "THRESHOLD_NOT_MET",
                h.viaBackend(h.firmware(v, List.of(f.key("alice"), TestReleases.newKey()))));
        h.assertRejected("vendor keys signing a gateway core bundle", "UNAUTHORIZED_SIGNER",
                h.viaBackend(f.bundleRelease("io.gantry.rollback", "99.0.0", f.pluginJar("99.0.0"), "acme1", "acme2")));
        h.assertRejected("vendor keys signing firmware outside their delegation", "UNAUTHORIZED_SIGNER",
                h.viaBackend(f.release("other-fw", v, ReleaseKind.FIRMWARE, "other-device",
                        Map.of("fw.img", f.firmwareImage(v)), f.keys("acme1", "acme2"))));
        long root = gateway.service(ReleaseVerifier.class).trustRootVersion();
        h.assertRejected("one compromised root key rotating the trust root", "THRESHOLD_NOT_MET",
                h.viaBackend(f.trustRootRelease(f.trustRoot(root + 1, "acme1", "acme2"), "root1")));
        // The vendor's two keys together still update what they may: the plugin bundle.
        String major = nextPluginMajor();
        h.installGenuine(f.pluginRelease(major, "acme1", "acme2"));
        assertEquals(major, gateway.bundle(PLUGIN).getVersion().toString());
        h.installNextGenuineFirmware();
    }

    @Test
    public void archiveTricks() throws Exception {
        String v = f.nextFirmwareVersion();
        Path genuine = h.firmware(v, f.keys("alice", "bob"));
        h.assertRejected("path traversal in an archive entry", "MALFORMED",
                h.viaLocalArchive(f.releases().withEntry(genuine, "payloads/../../../evil.jar")));
        h.assertRejected("an absolute path in an archive entry", "MALFORMED",
                h.viaLocalArchive(f.releases().withEntry(genuine, "/etc/cron.d/evil")));
        byte[] traversal = utf8(new String(metadataOf(genuine), StandardCharsets.UTF_8)
                .replace("\"name\":\"sensor.img\"", "\"name\":\"../../../evil.img\""));
        Map<String, Artifact> named = withMetadata(genuine, traversal, f.envelope(traversal, "alice", "bob"));
        named.put("../../../evil.img", Artifact.of(payloadOf(genuine, "sensor.img")));
        h.assertRejected("a traversing payload name in signed metadata", "MALFORMED", h.viaBackend(named));

        try (ArchiveReleaseSource archive = ReleaseArchive.open(genuine)) {
            h.assertRejected("staged firmware changed between verification and install", "HASH_MISMATCH",
                    h.viaLocalSource(h.swappingStaged(archive, utf8("ACME-FW " + v + "\nevil body\n"))));
        }
        String major = nextPluginMajor();
        byte[] evilJar = Files.readAllBytes(f.releases().jarWithExtraEntry(f.pluginJar(major)));
        try (ArchiveReleaseSource archive = ReleaseArchive.open(f.pluginRelease(major, "alice", "bob"))) {
            h.assertRejected("staged bundle swapped for another jar of the same name and version", "HASH_MISMATCH",
                    h.viaLocalSource(h.swappingStaged(archive, evilJar)));
        }
        h.installGenuine(genuine);
    }

    @Test
    public void compromisedGateway() throws Exception {
        String running = f.sensorState("sensor-1").getProperty("version");
        List<KeyPair> genuine = f.keys("alice", "bob");
        // The device checks the signatures itself, with the keys provisioned into it.
        h.assertRejected("an unsigned image pushed straight to the device", "SIGNATURE_REJECTED",
                h.pushedToDevice(toDevice(SENSOR_TYPE, "99.0.0", "99.0.0", List.of(), null)));
        h.assertRejected("an image signed by the gateway's own key", "SIGNATURE_REJECTED",
                h.pushedToDevice(toDevice(SENSOR_TYPE, "99.0.0", "99.0.0", List.of(TestReleases.newKey(), TestReleases.newKey()),
                        null)));
        h.assertRejected("a genuinely signed release with another image", "SIGNATURE_REJECTED",
                h.pushedToDevice(toDevice(SENSOR_TYPE, "99.0.0", "99.0.0", genuine,
                        "ACME-FW 99.0.0\nevil body\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        // Genuinely signed but replayed or misdirected: the device's own version and type checks.
        h.assertRejected("an older image pushed straight to the device", "DEVICE_REJECTED",
                h.pushedToDevice(toDevice(SENSOR_TYPE, "0.9.0", "0.9.0", genuine, null)));
        h.assertRejected("the running version pushed again", "DEVICE_REJECTED",
                h.pushedToDevice(toDevice(SENSOR_TYPE, running, running, genuine, null)));
        h.assertRejected("an image for another device type", "DEVICE_REJECTED",
                h.pushedToDevice(toDevice("other-device", "99.0.0", "99.0.0", genuine, null)));
        h.assertRejected("an image that is not the version it claims", "BOOT_FAILED",
                h.pushedToDevice(toDevice(SENSOR_TYPE, "99.0.0", "0.9.0", genuine, null)));
        h.installNextGenuineFirmware();
    }

    /** A sensor firmware with the given security counter (firmware floors are per device type). */
    private Path countedFirmware(String version, long securityCounter) throws Exception {
        Instant now = Instant.now();
        return f.release(AttackHarness.FW, version, ReleaseKind.FIRMWARE, SENSOR_TYPE,
                Map.of("sensor.img", f.firmwareImage(version)), f.keys("alice", "bob"), now.minusSeconds(5),
                now.plus(Duration.ofDays(1)), securityCounter);
    }

    private String nextPluginMajor() {
        return (gateway.bundle(PLUGIN).getVersion().getMajor() + 1) + ".0.0";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
