package io.gantry.verifier.internal;

import io.gantry.api.counter.MonotonicCounter;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.tls.BackendTlsPolicySource;
import io.gantry.api.verify.ExpiredException;
import io.gantry.api.verify.MalformedReleaseException;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.release.MetadataJson;
import io.gantry.release.PayloadCheck;
import io.gantry.release.ReleaseAuthorization;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Verifies releases against the release trust root (docs/release-format.md): signatures over the
 * exact metadata bytes by the threshold of a role allowed to sign the release, expiry against a
 * trusted time, anti-rollback floors, and finally each payload streamed through SHA-256 into this
 * bundle's private staging, cut at the signed size. Without a usable trust root every release is
 * refused (NO_TRUST_ANCHOR); no check is ever skipped.
 */
@Component(configurationPid = "io.gantry.verifier", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {ReleaseVerifier.class, BackendTlsPolicySource.class})
@Designate(ocd = VerifierConfig.class)
public final class SignedReleaseVerifier implements ReleaseVerifier, BackendTlsPolicySource {
    /** The counter bound unless the configuration's {@code counters.target} names another. */
    static final String FILE_COUNTERS = "(gantry.counter=file)";
    private static final System.Logger LOG = System.getLogger(SignedReleaseVerifier.class.getName());
    static final String ROOT_PAYLOAD = "trust-root.json";
    static final String ROOT_SIGNATURES = "trust-root.sigs.json";
    /** Below this size a second writer thread costs more than it saves (docs/benchmarks.md). */
    static final long PIPELINE_FROM_BYTES = 8L * 1024 * 1024;

    private final TrustRootHolder trustRoot;
    private final AntiRollback antiRollback;
    private final Path stagingRoot;

    @Activate
    public SignedReleaseVerifier(VerifierConfig config, BundleContext context,
            @Reference(name = "counters", target = FILE_COUNTERS) MonotonicCounter counters) throws IOException {
        this(new TrustRootHolder(Path.of(config.trustRootPath()),
                context.getDataFile("trust-root/trust-root.json").toPath(), config.minimumThreshold()),
                new AntiRollback(counters, Clock.systemUTC()), context.getDataFile("staging").toPath());
        LOG.log(System.Logger.Level.INFO, "anti-rollback counters: {0}", counters.mechanism());
    }

    SignedReleaseVerifier(TrustRootHolder trustRoot, AntiRollback antiRollback, Path stagingRoot) throws IOException {
        this.trustRoot = trustRoot;
        this.antiRollback = antiRollback;
        this.stagingRoot = Files.createDirectories(stagingRoot);
        // A reset root stored just before a crash still starts its epoch (idempotent).
        if (trustRoot.resetsTrustedTime()) {
            antiRollback.startTrustedTimeEpoch(trustRoot.version());
        }
        // Staging left by a crash or an earlier activation is scratch: clear it so it cannot pile up.
        try (java.util.stream.Stream<Path> leftovers = Files.list(this.stagingRoot)) {
            leftovers.forEach(StagedRelease::deleteTree);
        }
    }

    /** The pins and revocation policy travel in the trust root, so they rotate only with it. */
    @Override
    public Optional<BackendTlsPolicy> current() {
        return trustRoot.tlsPolicy();
    }

    @Override
    public VerifiedRelease verify(ReleaseSource source) throws ReleaseRejectedException, IOException {
        TrustRoot root = trustRoot.require();
        Instant now = antiRollback.trustedNow();
        byte[] metadataBytes = source.metadata();
        // Parsing only locates the version and target that select the role; nothing is acted on
        // before the role's threshold verified over these exact bytes.
        ReleaseMetadata metadata = MetadataJson.parse(metadataBytes);
        List<ReleaseSignature> signatures = SignatureEnvelope.parse(source.signatures());
        ReleaseAuthorization.Authorized authorized;
        boolean onLocalClock = false;
        try {
            authorized = ReleaseAuthorization.authorize(metadata, metadataBytes, signatures, root, now);
        } catch (ExpiredException expired) {
            authorized = stuckTimeRecovery(metadata, metadataBytes, signatures, root, expired);
            onLocalClock = true;
        }
        antiRollback.check(metadata);
        Path staging = Files.createTempDirectory(stagingRoot, "release-");
        try {
            List<VerifiedPayload> payloads = new ArrayList<>();
            for (PayloadInfo info : metadata.payloads()) {
                payloads.add(stage(source, info, staging));
            }
            return new StagedRelease(metadata, authorized, payloads, staging, onLocalClock);
        } catch (ReleaseRejectedException | IOException | RuntimeException e) {
            StagedRelease.deleteTree(staging);
            throw e;
        }
    }

    @Override
    public void recordInstalled(VerifiedRelease release) throws IOException {
        antiRollback.record(release.metadata(), release.role());
    }

    @Override
    public void recordCommitted(ReleaseSource committed) throws ReleaseRejectedException, IOException {
        TrustRoot root = trustRoot.require();
        byte[] metadataBytes = committed.metadata();
        ReleaseMetadata metadata = MetadataJson.parse(metadataBytes);
        // Valid when verified; the switch and soak may have outlasted its expiry since. The
        // signatures are what matter here: they are checked as at a time the release was valid.
        Instant now = antiRollback.trustedNow();
        Instant at = now.isBefore(metadata.expires()) ? now : metadata.expires().minusSeconds(1);
        ReleaseAuthorization.Authorized authorized = ReleaseAuthorization.authorize(metadata, metadataBytes,
                SignatureEnvelope.parse(committed.signatures()), root, at);
        antiRollback.record(metadata, authorized.role().name());
    }

    @Override
    public long installTrustRoot(VerifiedRelease release) throws ReleaseRejectedException, IOException {
        if (release.metadata().kind() != ReleaseKind.TRUST_ROOT) {
            throw new MalformedReleaseException("not a trust-root release: " + release.metadata().kind());
        }
        byte[] bytes = payload(release, ROOT_PAYLOAD);
        boolean onLocalClock = release instanceof StagedRelease staged && staged.onLocalClock();
        if (onLocalClock && !TrustRootJson.parse(bytes).resetsTrustedTime()) {
            // Accepted on the local clock only to carry a reset: any other root waits for trusted time.
            throw new ExpiredException("trust-root release " + release.metadata().version() + " (no trusted-time reset)",
                    release.metadata().expires(), antiRollback.trustedNow());
        }
        TrustRoot next = trustRoot.rotate(bytes, SignatureEnvelope.parse(payload(release, ROOT_SIGNATURES)),
                onLocalClock ? antiRollback.clockNow() : antiRollback.trustedNow());
        if (next.resetsTrustedTime()) {
            antiRollback.startTrustedTimeEpoch(next.version());
        }
        antiRollback.record(release.metadata(), release.role());
        return next.version();
    }

    @Override
    public long trustRootVersion() {
        return trustRoot.version();
    }

    /**
     * The root-signed way out of a trusted time carried far into the future (docs/release-format.md):
     * then everything, the current root included, reads as expired. Only a trust-root release that
     * the root role's threshold signed is then checked against the local clock, and
     * {@link #installTrustRoot} installs it only if the root it carries resets trusted time.
     * Anything else keeps the EXPIRED verdict.
     */
    private ReleaseAuthorization.Authorized stuckTimeRecovery(ReleaseMetadata metadata, byte[] metadataBytes,
            List<ReleaseSignature> signatures, TrustRoot root, ExpiredException expired)
            throws ReleaseRejectedException, IOException {
        if (metadata.kind() != ReleaseKind.TRUST_ROOT || !antiRollback.stuckAhead()) {
            throw expired;
        }
        ReleaseAuthorization.Authorized authorized = ReleaseAuthorization.authorize(metadata, metadataBytes, signatures,
                root, antiRollback.clockNow());
        if (!authorized.role().name().equals("root")) {
            throw expired;
        }
        LOG.log(System.Logger.Level.WARNING, "trusted time is stuck ahead of the clock: trust-root release {0} checked"
                + " against the local clock; it installs only if it resets trusted time", metadata.version());
        return authorized;
    }

    private static byte[] payload(VerifiedRelease release, String name) throws IOException, MalformedReleaseException {
        for (VerifiedPayload p : release.payloads()) {
            if (p.info().name().equals(name)) {
                try (InputStream in = p.open()) {
                    return in.readAllBytes();
                }
            }
        }
        throw new MalformedReleaseException("trust-root release lacks payload " + name);
    }

    private static VerifiedPayload stage(ReleaseSource source, PayloadInfo info, Path staging)
            throws ReleaseRejectedException, IOException {
        Path file = staging.resolve(info.name());
        // Closing both is safe: the pipelined writer closes the file after its last write.
        try (OutputStream staged = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
                InputStream in = source.openPayload(info.name(), info.size());
                OutputStream out = info.size() >= PIPELINE_FROM_BYTES ? new PipelinedFileWriter(staged, info.name()) : staged) {
            PayloadCheck.copyVerified(info, in, out);
        }
        file.toFile().setReadOnly();
        return new StagedPayload(info, file);
    }
}
