package io.gantry.it;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.it.DdiStub.Artifact;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.KeyIds;
import io.gantry.release.PayloadCheck;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.SignatureEnvelope;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** What attackers make of genuine releases: re-cut archives, swapped pieces, forged objects. */
final class CraftedReleases {
    private CraftedReleases() {
    }

    /** @return the archive as backend artifacts: metadata, signature envelope, each payload */
    static Map<String, Artifact> artifacts(Path archive) throws Exception {
        Map<String, Artifact> out = new LinkedHashMap<>();
        try (ArchiveReleaseSource s = ReleaseArchive.open(archive)) {
            out.put(ReleaseArchive.METADATA, Artifact.of(s.metadata()));
            out.put(ReleaseArchive.SIGNATURES, Artifact.of(s.signatures()));
            for (String name : s.payloadNames()) {
                try (InputStream in = s.openPayload(name)) {
                    out.put(name, Artifact.of(in.readAllBytes()));
                }
            }
        }
        return out;
    }

    static byte[] metadataOf(Path archive) throws Exception {
        try (ArchiveReleaseSource s = ReleaseArchive.open(archive)) {
            return s.metadata();
        }
    }

    static byte[] signaturesOf(Path archive) throws Exception {
        try (ArchiveReleaseSource s = ReleaseArchive.open(archive)) {
            return s.signatures();
        }
    }

    static byte[] payloadOf(Path archive, String name) throws Exception {
        try (ArchiveReleaseSource s = ReleaseArchive.open(archive); InputStream in = s.openPayload(name)) {
            return in.readAllBytes();
        }
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

    /** @return an envelope of signatures over {@code metadata} by the given keys */
    static byte[] signedBy(byte[] metadata, GatewayFixture f, String... signers) throws Exception {
        List<ReleaseSignature> sigs = new ArrayList<>();
        for (String s : signers) {
            sigs.add(f.sign(metadata, s));
        }
        return SignatureEnvelope.write(sigs);
    }

    /**
     * A TRUST_ROOT release carrying exactly {@code rootJson} (version {@code version}), the root
     * document and the release both signed by {@code rootSigners}.
     */
    static Path trustRootRelease(GatewayFixture f, byte[] rootJson, long version, String... rootSigners)
            throws Exception {
        Map<String, Path> payloads = new LinkedHashMap<>();
        payloads.put("trust-root.json", Files.write(Files.createTempFile(f.home(), "root", ".json"), rootJson));
        payloads.put("trust-root.sigs.json", Files.write(Files.createTempFile(f.home(), "root", ".sigs.json"),
                signedBy(rootJson, f, rootSigners)));
        return f.release("trust-root", version + ".0.0", ReleaseKind.TRUST_ROOT, ReleaseMetadata.GATEWAY_TARGET,
                payloads, f.keys(rootSigners));
    }

    /** A valid signature by a key pinned to DER ECDSA, but encoded as IEEE P1363 (r||s). */
    static ReleaseSignature p1363(byte[] metadata, KeyPair key) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(key.getPrivate());
        s.update(metadata);
        return new ReleaseSignature(KeyIds.of(key.getPublic()), s.sign());
    }

    /** A copy of the archive, in {@code dir}, with one more zip entry of the given name. */
    static Path archiveWithEntry(Path archive, Path dir, String entry) throws Exception {
        Path out = Files.createTempFile(dir, "trick", ".gantry");
        try (OutputStream os = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, Artifact> a : artifacts(archive).entrySet()) {
                boolean payload = !a.getKey().equals(ReleaseArchive.METADATA) && !a.getKey().equals(ReleaseArchive.SIGNATURES);
                zip.putNextEntry(new ZipEntry(payload ? ReleaseArchive.PAYLOAD_PREFIX + a.getKey() : a.getKey()));
                a.getValue().write(zip);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry(entry));
            zip.write("#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out;
    }

    /** A copy of a jar, in {@code dir}, with one more entry: same manifest, other bytes. */
    static Path withExtraEntry(Path jar, Path dir) throws IOException {
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

    /**
     * A release object a compromised gateway forges (no verifier ever saw it): one Acme image
     * whose header names {@code imageVersion}, offered as {@code version} for {@code target}.
     */
    static VerifiedRelease forged(String target, String version, String imageVersion) {
        byte[] image = ("ACME-FW " + imageVersion + "\nforged body\n").getBytes(StandardCharsets.UTF_8);
        PayloadInfo info = new PayloadInfo("sensor.img",
                HexFormat.of().formatHex(PayloadCheck.sha256().digest(image)), image.length);
        ReleaseMetadata m = new ReleaseMetadata(ReleaseMetadata.SCHEMA, AttackHarness.FW, version, ReleaseKind.FIRMWARE,
                target, Instant.now(), Instant.now().plusSeconds(3600), 1, "attacker", List.of(info));
        VerifiedPayload payload = new VerifiedPayload() {
            @Override
            public PayloadInfo info() {
                return info;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(image);
            }
        };
        return new VerifiedRelease() {
            @Override
            public ReleaseMetadata metadata() {
                return m;
            }

            @Override
            public List<String> signerKeyIds() {
                return List.of();
            }

            @Override
            public List<String> signerNames() {
                return List.of();
            }

            @Override
            public String role() {
                return "forged";
            }

            @Override
            public List<VerifiedPayload> payloads() {
                return List.of(payload);
            }

            @Override
            public void close() {
                // nothing staged
            }
        };
    }

    /**
     * A local source over {@code archive} whose payloads carry {@code extra} zero bytes after
     * the genuine ones; {@code read} counts what the consumer actually took.
     */
    static ReleaseSource padded(ArchiveReleaseSource archive, int extra, AtomicLong read) {
        return new ForwardingSource(archive) {
            @Override
            public InputStream openPayload(String name) throws IOException {
                byte[] genuine;
                try (InputStream in = archive.openPayload(name)) {
                    genuine = in.readAllBytes();
                }
                return new CountingStream(new ByteArrayInputStream(java.util.Arrays.copyOf(genuine, genuine.length + extra)),
                        read);
            }
        };
    }

    /** Forwards everything to a source; attacks override what they change. */
    static class ForwardingSource implements ReleaseSource {
        private final ReleaseSource delegate;

        ForwardingSource(ReleaseSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public byte[] metadata() throws IOException {
            return delegate.metadata();
        }

        @Override
        public byte[] signatures() throws IOException {
            return delegate.signatures();
        }

        @Override
        public InputStream openPayload(String payloadName) throws IOException {
            return delegate.openPayload(payloadName);
        }

        @Override
        public String describe() {
            return "crafted " + delegate.describe();
        }
    }

    /** Counts the bytes a consumer actually read. */
    private static final class CountingStream extends FilterInputStream {
        private final AtomicLong count;

        CountingStream(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
