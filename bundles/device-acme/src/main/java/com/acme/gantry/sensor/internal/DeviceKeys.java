package com.acme.gantry.sensor.internal;

import io.gantry.api.device.DeviceFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import io.gantry.api.device.SignedTrustRoot;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseAuthorization;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.release.TrustRootRotation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;

/**
 * The release keys provisioned into a device at manufacturing (a trust root in the device's own
 * flash), and the check the device runs with them before it writes anything: the signatures over
 * the exact metadata bytes must meet the threshold of a role allowed to sign firmware for this
 * device type, at the device's clock. The device then acts only on the metadata it parsed itself
 * from those bytes, never on what the gateway says they contain.
 */
final class DeviceKeys {
    static final String FILE = "keys/trust-root.json";

    private static final System.Logger LOG = System.getLogger(DeviceKeys.class.getName());
    private final TrustRoot root;
    private final Clock clock;

    private DeviceKeys(TrustRoot root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /** @return the version of the trust root the device holds */
    long version() {
        return root.version();
    }

    /**
     * Follows the gateway's trust-root rotations: each root newer than the device's is accepted
     * only as the successor of the one it holds, signed by the root role of both (the rotation rule
     * of docs/release-format.md, checked by the device itself), and then stored in its flash. The
     * first root that is not a valid successor stops the walk; the device keeps what it has.
     *
     * @return the keys the device holds afterwards
     */
    DeviceKeys follow(Path deviceDir, List<SignedTrustRoot> rotations, int minimumThreshold) throws IOException {
        TrustRoot current = root;
        for (SignedTrustRoot r : rotations) {
            byte[] bytes = r.trustRoot();
            try {
                if (TrustRootJson.parse(bytes).version() <= current.version()) {
                    continue;
                }
                List<ReleaseSignature> sigs = SignatureEnvelope.parse(r.signatures());
                TrustRoot next = TrustRootRotation.rotate(current, bytes, sigs, clock.instant(), minimumThreshold);
                TrustRootFiles.write(deviceDir.resolve(FILE), bytes, sigs);
                current = next;
                LOG.log(System.Logger.Level.INFO, "device {0} rotated its release keys to trust root {1}",
                        deviceDir.getFileName(), next.version());
            } catch (ReleaseRejectedException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "device {0} refused a trust-root rotation: {1}",
                        deviceDir.getFileName(), e.getMessage());
                break;
            }
        }
        return current == root ? this : new DeviceKeys(current, clock);
    }

    /** Copies the factory trust root into a new device's flash (once; a provisioned device keeps its keys). */
    static void provision(Path deviceDir, Path factoryTrustRoot) throws IOException {
        Path target = deviceDir.resolve(FILE);
        if (Files.exists(target) || factoryTrustRoot == null) {
            return;
        }
        Files.createDirectories(target.getParent());
        Files.copy(TrustRootFiles.signaturesOf(factoryTrustRoot), TrustRootFiles.signaturesOf(target),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(factoryTrustRoot, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * @throws DeviceUpdateException SIGNATURE_REJECTED if the device holds no keys or its trust root
     *     does not carry its own root threshold: a device without keys accepts nothing
     */
    static DeviceKeys load(Path deviceDir, int minimumThreshold, Clock clock) throws DeviceUpdateException {
        Path file = deviceDir.resolve(FILE);
        if (!Files.exists(file)) {
            throw new DeviceUpdateException(DeviceFailureCode.SIGNATURE_REJECTED, "device " + deviceDir.getFileName()
                    + " holds no release keys: it accepts no firmware");
        }
        try {
            TrustRootFiles.Signed s = TrustRootFiles.read(file);
            return new DeviceKeys(TrustRootRotation.acceptStored(s.bytes(), s.signatures(), minimumThreshold), clock);
        } catch (IOException | ReleaseRejectedException e) {
            throw new DeviceUpdateException(DeviceFailureCode.SIGNATURE_REJECTED, "device keys unusable: " + e.getMessage());
        }
    }

    /**
     * @param metadata the exact signed metadata bytes the gateway handed over
     * @param signatures the signature envelope
     * @param deviceType this device's type
     * @return the metadata, parsed by the device from the bytes it verified
     * @throws DeviceUpdateException SIGNATURE_REJECTED (with the verifier's code in the message) or
     *     DEVICE_REJECTED for firmware that is not for this device type
     */
    ReleaseMetadata check(byte[] metadata, byte[] signatures, String deviceType) throws DeviceUpdateException {
        ReleaseMetadata m;
        try {
            m = MetadataJson.parse(metadata);
            ReleaseAuthorization.authorize(m, metadata, SignatureEnvelope.parse(signatures), root, clock.instant());
        } catch (ReleaseRejectedException e) {
            throw new DeviceUpdateException(DeviceFailureCode.SIGNATURE_REJECTED, "the device's own check refused the release: "
                    + e.code() + " " + e.getMessage());
        } catch (RuntimeException e) {
            throw new DeviceUpdateException(DeviceFailureCode.SIGNATURE_REJECTED, "the device's own check refused the release: "
                    + e.getMessage());
        }
        if (m.kind() != ReleaseKind.FIRMWARE || !deviceType.equals(m.target()) || m.payloads().size() != 1) {
            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_REJECTED, "signed for " + m.kind() + " " + m.target()
                    + ", not a single-image " + deviceType + " firmware");
        }
        return m;
    }
}
