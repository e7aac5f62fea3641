package io.gantry.bench;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.release.MetadataJson;
import io.gantry.release.PayloadCheck;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.ReleaseSigning;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRootBuilder;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootJson;
import io.gantry.verifier.internal.GatewayVerifierFixture;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Payload verification throughput against the same JVM's raw SHA-256 over the same bytes.
 *
 * <p>Every benchmark reads one payload file, created once per trial, through a
 * {@link FileInputStream} with a {@link PayloadFile#BUFFER} buffer (PayloadCheck's size), so the
 * paths differ only in what they do with the bytes:
 * <ul>
 * <li>{@link #rawSha256}: {@link MessageDigest} SHA-256 only (the reference);
 * <li>{@link #payloadCheck}: {@link PayloadCheck#copyVerified} into
 *     {@link OutputStream#nullOutputStream()}, the backend/CLI path;
 * <li>{@link #gatewayVerify}: the gateway path, {@code SignedReleaseVerifier.verify}: trust root,
 *     strict metadata parse, threshold of ECDSA signatures over the exact metadata bytes, expiry
 *     and anti-rollback, then the payload streamed through SHA-256 into a staging file;
 * <li>{@link #rawSha256Staging}: a diagnostic, raw SHA-256 plus writing the bytes to a staging
 *     file: the floor of any verifier that stages while it hashes.
 * </ul>
 *
 * <p>{@link #gatewayVerify} runs the gateway's real {@code SignedReleaseVerifier} (package-private
 * in the verifier bundle), built by {@link GatewayVerifierFixture}, which sits in the verifier's
 * package inside this module (a split package, fine outside OSGi). The release is signed as the
 * default policy demands: a trust root whose root and {@code releases/1} roles need two of two
 * keys (the verifier's default {@code minimumThreshold} is 2).
 *
 * <p>Throughput is in operations (whole payloads) per second; {@link BenchReport} turns JMH's JSON
 * result into MB/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class PayloadVerifyBenchmark {
    static final String PAYLOAD_NAME = "payload.bin";

    /** Payload size in bytes: 1 MiB, 100 MiB, 1 GiB. */
    @Param({"1048576", "104857600", "1073741824"})
    public long size;

    private Path dir;
    private Path payload;
    private PayloadInfo info;
    private Path stagingRoot;
    private ReleaseVerifier verifier;
    private ReleaseSource source;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        dir = Files.createTempDirectory("gantry-bench-");
        payload = dir.resolve(PAYLOAD_NAME);
        info = PayloadFile.write(payload, PAYLOAD_NAME, size);
        stagingRoot = Files.createDirectories(dir.resolve("raw-staging"));
        if (params.getBenchmark().endsWith(".gatewayVerify")) {
            prepareGateway();
        }
    }

    /**
     * Provisions a trust root (root and {@code releases/1} roles, two of two keys each) and a
     * release of the payload signed by both release keys, with the project's own writers and
     * signer. The release source serves the exact metadata and envelope bytes and the payload file
     * itself, which the verifier reads like the other benchmarks do (no zip inflation measured).
     */
    private void prepareGateway() throws Exception {
        Map<String, KeyPair> keys = new HashMap<>();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        for (String name : List.of("root1", "root2", "alice", "bob")) {
            keys.put(name, g.generateKeyPair());
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TrustRootBuilder root = new TrustRootBuilder(1, now.plus(365, ChronoUnit.DAYS));
        keys.forEach((name, pair) -> root.key(name, pair.getPublic()));
        byte[] rootBytes = TrustRootJson.write(root.root(2, "root1", "root2").releases(1, 2, "alice", "bob").build());
        Path trustRoot = Files.createDirectories(dir.resolve("trust")).resolve("trust-root.json");
        TrustRootFiles.write(trustRoot, rootBytes, List.of(sign(rootBytes, keys.get("root1")),
                sign(rootBytes, keys.get("root2"))));

        byte[] metadata = MetadataJson.write(new ReleaseMetadata(ReleaseMetadata.SCHEMA, "bench-fw", "1.0.0",
                ReleaseKind.FIRMWARE, "bench-device", now.minusSeconds(60), now.plus(1, ChronoUnit.DAYS), 1, "bench",
                List.of(info)));
        byte[] signatures = SignatureEnvelope.write(List.of(sign(metadata, keys.get("alice")),
                sign(metadata, keys.get("bob"))));
        verifier = GatewayVerifierFixture.verifier(trustRoot, dir.resolve("data"), 2);
        source = new FileReleaseSource(metadata, signatures, payload);

        // Refuse to measure anything but the success path.
        try (VerifiedRelease r = verifier.verify(source)) {
            if (r.payloads().size() != 1 || !r.payloads().get(0).info().equals(info)) {
                throw new IllegalStateException("verified payloads are not the generated " + info);
            }
        }
    }

    private static ReleaseSignature sign(byte[] data, KeyPair key) throws Exception {
        return ReleaseSigning.sign(data, key.getPrivate(), key.getPublic());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        deleteTree(dir);
    }

    /** Reference: the same file, the same stream type and buffer size, SHA-256 only. */
    @Benchmark
    public byte[] rawSha256() throws IOException {
        MessageDigest sha256 = PayloadCheck.sha256();
        byte[] buf = new byte[PayloadFile.BUFFER];
        try (InputStream in = new FileInputStream(payload.toFile())) {
            for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                sha256.update(buf, 0, n);
            }
        }
        return sha256.digest();
    }

    /** Backend/CLI path: size-capped streaming hash with the digest and size checks. */
    @Benchmark
    public void payloadCheck() throws Exception {
        try (InputStream in = new FileInputStream(payload.toFile())) {
            PayloadCheck.copyVerified(info, in, OutputStream.nullOutputStream());
        }
    }

    /**
     * Gateway path: one {@code SignedReleaseVerifier.verify}, which returns once the signatures,
     * expiry and anti-rollback checks passed and the payload is staged and hashed. Discarding the
     * staging folder is the installer's job after it consumed the release, so it happens in
     * {@link Staged#discard()}, outside the measured time.
     */
    @Benchmark
    public VerifiedRelease gatewayVerify(Staged staged) throws Exception {
        staged.release = verifier.verify(source);
        return staged.release;
    }

    /**
     * Diagnostic floor for any verifier that stages: {@link #rawSha256} plus writing every buffer to
     * a new file in the staging folder, opened as the verifier opens it. The file is deleted in
     * {@link Staged#discard()}, outside the measured time.
     */
    @Benchmark
    public byte[] rawSha256Staging(Staged staged) throws IOException {
        MessageDigest sha256 = PayloadCheck.sha256();
        byte[] buf = new byte[PayloadFile.BUFFER];
        staged.dir = Files.createTempDirectory(stagingRoot, "raw-");
        try (InputStream in = new FileInputStream(payload.toFile());
                OutputStream out = Files.newOutputStream(staged.dir.resolve(PAYLOAD_NAME),
                        StandardOpenOption.CREATE_NEW)) {
            for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                sha256.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        return sha256.digest();
    }

    /** What the last {@link #gatewayVerify} or {@link #rawSha256Staging} call staged. */
    @State(Scope.Thread)
    public static class Staged {
        VerifiedRelease release;
        Path dir;

        @TearDown(Level.Invocation)
        public void discard() throws IOException {
            if (release != null) {
                release.close();
                release = null;
            }
            if (dir != null) {
                deleteTree(dir);
                dir = null;
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** A release source over in-memory metadata and envelope bytes and one payload file. */
    static final class FileReleaseSource implements ReleaseSource {
        private final byte[] metadata;
        private final byte[] signatures;
        private final Path payload;

        FileReleaseSource(byte[] metadata, byte[] signatures, Path payload) {
            this.metadata = metadata;
            this.signatures = signatures;
            this.payload = payload;
        }

        @Override
        public byte[] metadata() {
            return metadata.clone();
        }

        @Override
        public byte[] signatures() {
            return signatures.clone();
        }

        @Override
        public InputStream openPayload(String payloadName) throws IOException {
            if (!PAYLOAD_NAME.equals(payloadName)) {
                throw new FileNotFoundException("no payload " + payloadName);
            }
            return new FileInputStream(payload.toFile());
        }

        @Override
        public String describe() {
            return "benchmark payload " + payload;
        }
    }
}
