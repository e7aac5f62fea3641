package io.gantry.verifier.internal;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.NoTrustAnchorException;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.api.verify.ReleaseSource;
import io.gantry.api.verify.ReleaseVerifier;
import io.gantry.api.verify.VerifiedPayload;
import io.gantry.api.verify.VerifiedRelease;
import io.gantry.release.MetadataJson;
import io.gantry.release.PayloadCheck;
import io.gantry.release.SignatureCheck;
import io.gantry.release.TrustedKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Verifies releases against the release keys in a trust folder: signatures over the exact
 * metadata bytes first, then each payload streamed through SHA-256 into this bundle's private
 * staging area, cut at the signed size. Trust keys are read once at activation; an empty or
 * unreadable trust folder makes every verification fail (fail closed), it never skips the check.
 */
@Component(configurationPid = "io.gantry.verifier", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = VerifierConfig.class)
public final class SignedReleaseVerifier implements ReleaseVerifier {
    private final Map<String, PublicKey> trusted;
    private final String trustProblem;
    private final Path stagingRoot;

    @Activate
    public SignedReleaseVerifier(VerifierConfig config, BundleContext context) throws IOException {
        this(Path.of(config.trustDir()), context.getDataFile("staging").toPath());
    }

    SignedReleaseVerifier(Path trustDir, Path stagingRoot) throws IOException {
        Map<String, PublicKey> keys = Map.of();
        String problem = null;
        try {
            keys = TrustedKeys.load(trustDir);
        } catch (IOException | GeneralSecurityException e) {
            problem = trustDir + ": " + e.getMessage();
        }
        this.trusted = keys;
        this.trustProblem = problem != null ? problem : trustDir.toString();
        this.stagingRoot = Files.createDirectories(stagingRoot);
    }

    @Override
    public VerifiedRelease verify(ReleaseSource source) throws ReleaseRejectedException, IOException {
        if (trusted.isEmpty()) {
            throw new NoTrustAnchorException(trustProblem);
        }
        byte[] metadataBytes = source.metadata();
        // Signatures are checked over the exact bytes before anything in them is believed.
        List<String> signers = SignatureCheck.verify(metadataBytes, source.signatures(), trusted);
        ReleaseMetadata metadata = MetadataJson.parse(metadataBytes);
        Path staging = Files.createTempDirectory(stagingRoot, "release-");
        try {
            List<VerifiedPayload> payloads = new ArrayList<>();
            for (PayloadInfo info : metadata.payloads()) {
                payloads.add(stage(source, info, staging));
            }
            return new StagedRelease(metadata, signers, payloads, staging);
        } catch (ReleaseRejectedException | IOException | RuntimeException e) {
            StagedRelease.deleteTree(staging);
            throw e;
        }
    }

    private static VerifiedPayload stage(ReleaseSource source, PayloadInfo info, Path staging)
            throws ReleaseRejectedException, IOException {
        Path file = staging.resolve(info.name());
        try (InputStream in = source.openPayload(info.name());
                OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            PayloadCheck.copyVerified(info, in, out);
        }
        file.toFile().setReadOnly();
        return new StagedPayload(info, file);
    }
}
