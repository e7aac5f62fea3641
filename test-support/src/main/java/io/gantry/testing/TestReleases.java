package io.gantry.testing;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ArchiveSigning;
import io.gantry.release.KeyIds;
import io.gantry.release.MetadataJson;
import io.gantry.release.PayloadCheck;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseBuilder;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.ReleaseSigning;
import io.gantry.release.SignatureEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds release archives for tests: genuine ones, made and signed exactly as the {@code gantry
 * release build/sign} tool makes them (the gantry-release library's {@link ReleaseBuilder} and
 * {@link ArchiveSigning}), and crafted ones, as an attacker re-cuts them (other metadata bytes,
 * another signature envelope, payload entries that are not the signed ones, extra zip entries).
 * Release objects that exist only in memory are {@link InMemoryReleases}. One instance writes its archives
 * and payload files into one folder.
 *
 * <pre>{@code
 * TestReleases releases = new TestReleases(tempDir);
 * Path good = releases.release("fw", "1.2.0").payload("fw.bin", bytes).signedBy(alice, bob).build();
 * Path swapped = releases.archive(metadataOf(good), signaturesOf(good), Map.of("fw.bin", evil));
 * }</pre>
 */
public final class TestReleases {
    /** Device type of the simulated Acme sensors, the default target of {@link Release}. */
    public static final String SENSOR_TYPE = "acme-sensor";
    private final Path dir;

    /** @param dir the folder for the archives and payload files built here (created if missing) */
    public TestReleases(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    // ---- keys and signatures

    /** @return a new release-signing key (ECDSA P-256) */
    public static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no ECDSA P-256 in this JVM", e);
        }
    }

    /** @return a signature over {@code data} by {@code key}, as the release tool makes it */
    public static ReleaseSignature sign(byte[] data, KeyPair key) throws GeneralSecurityException {
        return ReleaseSigning.sign(data, key.getPrivate(), key.getPublic());
    }

    /** @return one signature over {@code data} by each of {@code signers}, in that order */
    public static List<ReleaseSignature> signatures(byte[] data, KeyPair... signers) throws GeneralSecurityException {
        List<ReleaseSignature> sigs = new ArrayList<>();
        for (KeyPair k : signers) {
            sigs.add(sign(data, k));
        }
        return sigs;
    }

    /** @return a signature envelope ({@code signatures.json}) over {@code data} by {@code signers} */
    public static byte[] envelope(byte[] data, KeyPair... signers) throws GeneralSecurityException {
        return SignatureEnvelope.write(signatures(data, signers));
    }

    /** @return a signature envelope ({@code signatures.json}) over {@code data} by {@code signers} */
    public static byte[] envelope(byte[] data, List<KeyPair> signers) throws GeneralSecurityException {
        return envelope(data, signers.toArray(new KeyPair[0]));
    }

    /** A valid signature by a key pinned to DER ECDSA, but encoded as IEEE P1363 ({@code r||s}). */
    public static ReleaseSignature p1363(byte[] data, KeyPair key) throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(key.getPrivate());
        s.update(data);
        return new ReleaseSignature(KeyIds.of(key.getPublic()), s.sign());
    }

    // ---- content

    /** @return lowercase hex SHA-256 of {@code bytes}, as release metadata names payloads */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(PayloadCheck.sha256().digest(bytes));
    }

    /** @return {@code size} deterministic, seed-dependent payload bytes */
    public static byte[] payloadBytes(String seed, int size) {
        byte[] b = new byte[size];
        byte[] s = seed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (s[i % s.length] + i / 7);
        }
        return b;
    }

    /**
     * @return firmware metadata for the Acme sensor describing {@code payloads}: built 2026-11-26,
     *     expiring ten years later, security counter 0, built by "Release Manager"
     */
    public static ReleaseMetadata metadata(String name, String version, Map<String, byte[]> payloads) {
        List<PayloadInfo> infos = payloads.entrySet().stream()
                .map(e -> new PayloadInfo(e.getKey(), sha256(e.getValue()), e.getValue().length)).toList();
        return new ReleaseMetadata(ReleaseMetadata.SCHEMA, name, version, ReleaseKind.FIRMWARE, SENSOR_TYPE,
                Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2036-11-26T10:00:00Z"), 0, "Release Manager", infos);
    }

    // ---- genuine archives

    /** @return a genuine release to describe: firmware for {@link #SENSOR_TYPE} unless told otherwise */
    public Release release(String name, String version) {
        return new Release(name, version);
    }

    /**
     * A genuine release as the release tool builds it. Defaults: kind FIRMWARE, target
     * {@link #SENSOR_TYPE}, built by "tester" a minute ago, expiring a day later, security counter 0,
     * no payloads, unsigned.
     */
    public final class Release {
        private final String name;
        private final String version;
        private ReleaseKind kind = ReleaseKind.FIRMWARE;
        private String target = SENSOR_TYPE;
        private String builtBy = "tester";
        private Instant built = Instant.now().minusSeconds(60);
        private Instant expires;
        private long securityCounter;
        private final Map<String, Path> payloads = new LinkedHashMap<>();
        private final List<KeyPair> signers = new ArrayList<>();

        private Release(String name, String version) {
            this.name = name;
            this.version = version;
        }

        /** Sets the kind and the target device type. */
        public Release kind(ReleaseKind kind, String target) {
            this.kind = kind;
            this.target = target;
            return this;
        }

        /** Sets who built it, as the metadata names them. */
        public Release builtBy(String builtBy) {
            this.builtBy = builtBy;
            return this;
        }

        /** Sets the build time and the expiry. */
        public Release validity(Instant built, Instant expires) {
            this.built = built;
            this.expires = expires;
            return this;
        }

        /** Sets the security counter (anti-rollback floor). */
        public Release securityCounter(long securityCounter) {
            this.securityCounter = securityCounter;
            return this;
        }

        /** Adds a payload from a file. */
        public Release payload(String payloadName, Path file) {
            payloads.put(payloadName, file);
            return this;
        }

        /** Adds a payload from bytes (written to a file in the builder's folder). */
        public Release payload(String payloadName, byte[] bytes) throws IOException {
            return payload(payloadName, Files.write(Files.createTempFile(dir, "payload", ".bin"), bytes));
        }

        /** Adds payloads from files. */
        public Release payloads(Map<String, Path> files) {
            payloads.putAll(files);
            return this;
        }

        /** Adds signers; each signs the archive in turn, as {@code gantry release sign} does. */
        public Release signedBy(KeyPair... keys) {
            signers.addAll(List.of(keys));
            return this;
        }

        /** Adds signers. */
        public Release signedBy(List<KeyPair> keys) {
            signers.addAll(keys);
            return this;
        }

        /** @return the archive, built and signed */
        public Path build() throws IOException, GeneralSecurityException, MalformedReleaseException {
            Path archive = Files.createTempFile(dir, name + "-" + version + "-", ".gantry");
            ReleaseBuilder.buildUnsigned(archive, name, version, kind, target, builtBy, built,
                    expires != null ? expires : built.plus(Duration.ofDays(1)), securityCounter, payloads);
            for (KeyPair k : signers) {
                ArchiveSigning.addSignature(archive, archive, k.getPrivate(), k.getPublic());
            }
            return archive;
        }
    }

    // ---- crafted archives

    /**
     * @return an archive of the canonical bytes of {@code m}, signed by {@code signers}, whose payload
     *     entries hold {@code archived} (equal to what {@code m} describes, or not)
     */
    public Path archive(ReleaseMetadata m, Map<String, byte[]> archived, KeyPair... signers)
            throws IOException, GeneralSecurityException {
        byte[] metadata = MetadataJson.write(m);
        return archive(metadata, envelope(metadata, signers), archived);
    }

    /** @return an archive of exactly these metadata bytes, signature envelope and payload entries */
    public Path archive(byte[] metadata, byte[] envelope, Map<String, byte[]> archived) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        Path payloadDir = Files.createTempDirectory(dir, "payloads");
        for (Map.Entry<String, byte[]> e : archived.entrySet()) {
            files.put(e.getKey(), Files.write(payloadDir.resolve(e.getKey()), e.getValue()));
        }
        Path out = Files.createTempFile(dir, "release", ".zip");
        ReleaseArchive.write(out, metadata, envelope, files);
        return out;
    }

    /**
     * @return a copy of {@code archive} with one more zip entry named {@code entry} (a shell script),
     *     written entry by entry so that names the release writer refuses get in
     */
    public Path withEntry(Path archive, String entry) throws IOException, MalformedReleaseException {
        Path out = Files.createTempFile(dir, "trick", ".gantry");
        try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
            zip.putNextEntry(new ZipEntry(ReleaseArchive.METADATA));
            zip.write(metadataOf(archive));
            zip.putNextEntry(new ZipEntry(ReleaseArchive.SIGNATURES));
            zip.write(signaturesOf(archive));
            for (Map.Entry<String, byte[]> p : payloadsOf(archive).entrySet()) {
                zip.putNextEntry(new ZipEntry(ReleaseArchive.PAYLOAD_PREFIX + p.getKey()));
                zip.write(p.getValue());
            }
            zip.putNextEntry(new ZipEntry(entry));
            zip.write("#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out;
    }

    /** @return a copy of {@code jar} with one more entry: same manifest, other bytes */
    public Path jarWithExtraEntry(Path jar) throws IOException {
        Path out = Files.createTempFile(dir, "evil", ".jar");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar));
                JarOutputStream os = new JarOutputStream(Files.newOutputStream(out), in.getManifest())) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                os.putNextEntry(new JarEntry(e.getName()));
                in.transferTo(os);
                os.closeEntry();
            }
            os.putNextEntry(new JarEntry("evil.txt"));
            os.write("not what was signed".getBytes(StandardCharsets.UTF_8));
            os.closeEntry();
        }
        return out;
    }

    // ---- reading archives

    /** @return the exact {@code release.json} bytes of {@code archive} */
    public static byte[] metadataOf(Path archive) throws IOException, MalformedReleaseException {
        try (ArchiveReleaseSource s = ReleaseArchive.open(archive)) {
            return s.metadata();
        }
    }

    /** @return the exact {@code signatures.json} bytes of {@code archive} */
    public static byte[] signaturesOf(Path archive) throws IOException, MalformedReleaseException {
        try (ArchiveReleaseSource s = ReleaseArchive.open(archive)) {
            return s.signatures();
        }
    }

    /** @return the bytes of payload {@code name} in {@code archive} */
    public static byte[] payloadOf(Path archive, String name) throws IOException, MalformedReleaseException {
        try (ArchiveReleaseSource s = ReleaseArchive.open(archive); InputStream in = s.openPayload(name)) {
            return in.readAllBytes();
        }
    }

    /** @return every payload of {@code archive} by name, in archive order */
    public static Map<String, byte[]> payloadsOf(Path archive) throws IOException, MalformedReleaseException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ArchiveReleaseSource s = ReleaseArchive.open(archive)) {
            for (String name : s.payloadNames()) {
                try (InputStream in = s.openPayload(name)) {
                    out.put(name, in.readAllBytes());
                }
            }
        }
        return out;
    }
}
