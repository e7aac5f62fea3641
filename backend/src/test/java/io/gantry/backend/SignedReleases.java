package io.gantry.backend;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.SignatureEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds release archives for tests with the real io.gantry.release writer and signer. Good
 * releases are signed by the two release keys of {@link ReleaseKeys} (the two-person rule).
 */
final class SignedReleases {
    final ReleaseKeys keys = new ReleaseKeys();
    /** The first release manager's key. */
    final KeyPair releaseKey = keys.releaseA;
    /** The second release manager's key. */
    final KeyPair secondReleaseKey = keys.releaseB;
    private final Path dir;
    private int counter;

    SignedReleases(Path dir) {
        this.dir = dir;
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(io.gantry.release.PayloadCheck.sha256().digest(bytes));
    }

    static byte[] payloadBytes(String seed, int size) {
        byte[] b = new byte[size];
        byte[] s = seed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (s[i % s.length] + i / 7);
        }
        return b;
    }

    static ReleaseMetadata metadata(String name, String version, Map<String, byte[]> payloads) {
        List<PayloadInfo> infos = payloads.entrySet().stream()
                .map(e -> new PayloadInfo(e.getKey(), sha256(e.getValue()), e.getValue().length)).toList();
        return new ReleaseMetadata(ReleaseMetadata.SCHEMA, name, version, ReleaseKind.FIRMWARE, "acme-sensor",
                Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2036-11-26T10:00:00Z"), 0, "Release Manager", infos);
    }

    /** An archive signed by {@code signers} whose payload entries hold {@code archived} (normally equal to the signed payloads). */
    Path archive(ReleaseMetadata m, Map<String, byte[]> archived, KeyPair... signers) throws Exception {
        byte[] metadata = MetadataJson.write(m);
        return write(metadata, SignatureEnvelope.write(ReleaseKeys.sign(metadata, signers)), archived);
    }

    /** A correctly signed archive (both release keys) whose payload entries hold {@code archived}. */
    Path archive(ReleaseMetadata m, Map<String, byte[]> archived) throws Exception {
        return archive(m, archived, releaseKey, secondReleaseKey);
    }

    Path write(byte[] metadata, byte[] envelope, Map<String, byte[]> archived) throws Exception {
        Map<String, Path> files = new LinkedHashMap<>();
        Path payloadDir = Files.createDirectories(dir.resolve("payloads-" + counter));
        for (Map.Entry<String, byte[]> e : archived.entrySet()) {
            files.put(e.getKey(), Files.write(payloadDir.resolve(e.getKey()), e.getValue()));
        }
        Path out = dir.resolve("release-" + counter++ + ".zip");
        ReleaseArchive.write(out, metadata, envelope, files);
        return out;
    }

    /** A good release signed by both release keys. */
    Path good(String name, String version, Map<String, byte[]> payloads) throws Exception {
        return archive(metadata(name, version, payloads), payloads);
    }
}
