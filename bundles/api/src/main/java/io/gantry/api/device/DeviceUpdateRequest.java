package io.gantry.api.device;

import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.VerifiedPayload;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the gateway hands a vendor plugin to update one device: the release the gateway verified,
 * and with it the evidence a device can check by itself. {@code signedMetadata} and
 * {@code signatures} are the exact bytes the gateway verified ({@code release.json} and the
 * {@code signatures.json} envelope, docs/release-format.md), so a device holding release keys
 * verifies the signatures over the metadata and the image digest against the metadata, and refuses
 * an image nobody signed even from a compromised gateway.
 *
 * @param deviceId one of {@link DownstreamDeviceUpdater#deviceIds()}
 * @param metadata the metadata the gateway verified (parsed from {@code signedMetadata})
 * @param signedMetadata the exact signed metadata bytes
 * @param signatures the signature envelope bytes
 * @param images the verified payloads, in metadata order; every device of the type is served
 *     from the gateway's one read of the verified staging
 * @param trustRoots the trust roots the gateway rotated to since it was provisioned, oldest first,
 *     for devices that rotate their own keys along ({@link SignedTrustRoot}); empty if none
 */
public record DeviceUpdateRequest(String deviceId, ReleaseMetadata metadata, byte[] signedMetadata, byte[] signatures,
        List<VerifiedPayload> images, List<SignedTrustRoot> trustRoots) {

    /** Copies the arrays and the lists. */
    public DeviceUpdateRequest {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(metadata, "metadata");
        signedMetadata = Objects.requireNonNull(signedMetadata, "signedMetadata").clone();
        signatures = Objects.requireNonNull(signatures, "signatures").clone();
        images = List.copyOf(images);
        trustRoots = List.copyOf(trustRoots);
    }

    /** @return a copy of the exact signed metadata bytes */
    @Override
    public byte[] signedMetadata() {
        return signedMetadata.clone();
    }

    /** @return a copy of the signature envelope bytes */
    @Override
    public byte[] signatures() {
        return signatures.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceUpdateRequest r && r.deviceId.equals(deviceId) && r.metadata.equals(metadata)
                && Arrays.equals(r.signedMetadata, signedMetadata) && Arrays.equals(r.signatures, signatures)
                && r.images.equals(images) && r.trustRoots.equals(trustRoots);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, metadata, Arrays.hashCode(signedMetadata), Arrays.hashCode(signatures), images,
                trustRoots);
    }

    @Override
    public String toString() {
        return "DeviceUpdateRequest[" + deviceId + ", " + metadata.name() + " " + metadata.version() + "]";
    }
}
