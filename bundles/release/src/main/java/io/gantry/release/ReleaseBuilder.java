package io.gantry.release;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds unsigned release archives from payload files: describes each payload, writes the metadata. */
public final class ReleaseBuilder {
    private ReleaseBuilder() {
    }

    /** @return the signed-to-be description of {@code file} under {@code name} */
    public static PayloadInfo describe(String name, Path file) throws IOException {
        MessageDigest sha256 = PayloadCheck.sha256();
        long size = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha256.update(buf, 0, n);
                size += n;
            }
        }
        return new PayloadInfo(name, HexFormat.of().formatHex(sha256.digest()), size);
    }

    /** How long a release stays installable when the builder names no expiry. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

    /**
     * Writes an unsigned archive expiring {@link #DEFAULT_VALIDITY} after {@code buildTime}, with
     * security counter 0.
     *
     * @see #buildUnsigned(Path, String, String, ReleaseKind, String, String, Instant, Instant, long, Map)
     */
    public static ReleaseMetadata buildUnsigned(Path out, String name, String version, ReleaseKind kind,
            String target, String builtBy, Instant buildTime, Map<String, Path> payloads) throws IOException {
        return buildUnsigned(out, name, version, kind, target, builtBy, buildTime, buildTime.plus(DEFAULT_VALIDITY),
                0, payloads);
    }

    /**
     * Writes an archive with metadata for {@code payloads} and an empty signature envelope.
     *
     * @param payloads payload name to file, in the order the metadata lists them
     * @return the metadata written
     */
    public static ReleaseMetadata buildUnsigned(Path out, String name, String version, ReleaseKind kind,
            String target, String builtBy, Instant buildTime, Instant expires, long securityCounter,
            Map<String, Path> payloads) throws IOException {
        List<PayloadInfo> infos = new ArrayList<>();
        for (Map.Entry<String, Path> p : payloads.entrySet()) {
            infos.add(describe(p.getKey(), p.getValue()));
        }
        ReleaseMetadata metadata = new ReleaseMetadata(ReleaseMetadata.SCHEMA, name, version, kind, target,
                buildTime, expires, securityCounter, builtBy, infos);
        ReleaseArchive.write(out, MetadataJson.write(metadata), SignatureEnvelope.write(List.of()),
                new LinkedHashMap<>(payloads));
        return metadata;
    }
}
