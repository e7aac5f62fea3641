package com.acme.gantry.sensor.internal;

import io.gantry.api.device.DeviceUpdateRequest;
import io.gantry.api.device.SignedTrustRoot;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.release.MetadataJson;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.testing.InMemoryReleases;
import io.gantry.testing.TestReleases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;

/**
 * Release keys for tests of the device's own check: a trust root (root1+root2 sign it, alice+bob
 * sign 1.x releases, 2 of 2) written where a sensor is provisioned from, and firmware requests as a
 * gateway hands them over: signed, unsigned or tampered.
 */
final class SignedFirmware {
    final KeyPair root1 = TestReleases.newKey();
    final KeyPair root2 = TestReleases.newKey();
    final KeyPair alice = TestReleases.newKey();
    final KeyPair bob = TestReleases.newKey();
    final KeyPair gatewayKey = TestReleases.newKey();
    final Path trustRoot;

    SignedFirmware(Path dir) throws Exception {
        TrustRoot root = new TrustRootBuilder(1, Instant.now().plusSeconds(86400 * 365))
                .key("root1", root1.getPublic()).key("root2", root2.getPublic())
                .key("alice", alice.getPublic()).key("bob", bob.getPublic())
                .root(2, "root1", "root2").releases(1, 2, "alice", "bob").build();
        byte[] bytes = TrustRootJson.write(root);
        trustRoot = dir.resolve("factory/trust-root.json");
        TrustRootFiles.write(trustRoot, bytes, TestReleases.signatures(bytes, root1, root2));
    }

    static byte[] image(String version) {
        return (FirmwareImage.header(version) + "acme sensor firmware " + version + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static ReleaseMetadata metadata(String version, long counter, byte[] image) {
        return new ReleaseMetadata(ReleaseMetadata.SCHEMA, "acme-sensor-fw", version, ReleaseKind.FIRMWARE,
                AcmeSensorUpdater.DEVICE_TYPE, Instant.now().minusSeconds(60), Instant.now().plusSeconds(86400), counter,
                "tester", List.of(new PayloadInfo("sensor.img", TestReleases.sha256(image), image.length)));
    }

    /** @return a request for a release signed by alice and bob */
    DeviceUpdateRequest genuine(String deviceId, String version) throws Exception {
        return request(deviceId, metadata(version, 0, image(version)), image(version), alice, bob);
    }

    /** @return a request whose metadata describes {@code image}, signed by {@code signers} */
    DeviceUpdateRequest request(String deviceId, ReleaseMetadata m, byte[] image, KeyPair... signers) throws Exception {
        byte[] bytes = MetadataJson.write(m);
        byte[] envelope = signers.length == 0 ? SignatureEnvelope.write(List.of()) : TestReleases.envelope(bytes, signers);
        return new DeviceUpdateRequest(deviceId, m, bytes, envelope,
                List.of(InMemoryReleases.payload(new PayloadInfo("sensor.img", TestReleases.sha256(image), image.length), image)),
                List.of());
    }

    /** @return the request with the gateway's trust-root rotations handed along */
    static DeviceUpdateRequest withRotations(DeviceUpdateRequest r, SignedTrustRoot... rotations) {
        return new DeviceUpdateRequest(r.deviceId(), r.metadata(), r.signedMetadata(), r.signatures(), r.images(),
                List.of(rotations));
    }

    /**
     * @return trust root {@code version} whose release role is alice and {@code second}, signed by
     *     {@code signers} (root1 and root2 for a genuine rotation)
     */
    SignedTrustRoot rotation(long version, KeyPair second, KeyPair... signers) throws Exception {
        TrustRoot root = new TrustRootBuilder(version, Instant.now().plusSeconds(86400 * 365))
                .key("root1", root1.getPublic()).key("root2", root2.getPublic())
                .key("alice", alice.getPublic()).key("second", second.getPublic())
                .root(2, "root1", "root2").releases(1, 2, "alice", "second").build();
        byte[] bytes = TrustRootJson.write(root);
        return new SignedTrustRoot(bytes, TestReleases.envelope(bytes, signers));
    }
}
