package io.gantry.cli;

import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.demo.ManagementClient;
import io.gantry.pki.PkiDirectory;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ArchiveSigning;
import io.gantry.release.MetadataJson;
import io.gantry.release.PayloadCheck;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseBuilder;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.SignatureCheck;
import io.gantry.release.TrustedKeys;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Build, sign, verify and publish release archives (docs/release-format.md). */
@Command(name = "release", description = "Build, sign, verify and publish releases.")
final class ReleaseCommand {

    @Command(name = "build", description = "Build an unsigned release archive from payload files.")
    int build(@Option(names = "--out", required = true) Path out,
            @Option(names = "--name", required = true) String name,
            @Option(names = "--version", required = true) String version,
            @Option(names = "--kind", required = true, description = "BUNDLE or FIRMWARE") ReleaseKind kind,
            @Option(names = "--target", required = true, description = "device type; gantry-gateway for gateway bundles") String target,
            @Option(names = "--built-by", required = true, description = "release manager identity") String builtBy,
            @Option(names = "--payload", required = true, description = "name=file (repeatable)") Map<String, Path> payloads)
            throws Exception {
        ReleaseMetadata m = ReleaseBuilder.buildUnsigned(out, name, version, kind, target, builtBy,
                Clock.systemUTC().instant(), new LinkedHashMap<>(payloads));
        System.out.println("built " + out + ": " + m.name() + " " + m.version() + " for " + m.target() + ", unsigned");
        return 0;
    }

    @Command(name = "sign", description = "Add a detached signature with a signing key (file or PKCS#11 token).")
    int sign(@Option(names = "--key", description = "signing key .p12") Path key,
            @Option(names = "--pkcs11", description = "token config properties file (docs/keys.md)") Path pkcs11,
            @Option(names = "--key-alias", description = "signing key on the token") String keyAlias,
            @Parameters(paramLabel = "ARCHIVE") Path archive) throws Exception {
        KeyPair pair = SigningKeyChoice.load(key, pkcs11, keyAlias);
        ReleaseSignature sig = ArchiveSigning.addSignature(archive, archive, pair.getPrivate(), pair.getPublic());
        System.out.println("signed " + archive + " with key " + sig.keyId());
        return 0;
    }

    @Command(name = "verify", description = "Verify signatures and payloads against trusted public keys.")
    int verify(@Option(names = "--trust", required = true, description = "folder of trusted *.pem keys") Path trust,
            @Parameters(paramLabel = "ARCHIVE") Path archive) throws Exception {
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            List<String> signers = SignatureCheck.verify(src.metadata(), src.signatures(), TrustedKeys.load(trust));
            ReleaseMetadata m = MetadataJson.parse(src.metadata());
            for (PayloadInfo p : m.payloads()) {
                try (InputStream in = src.openPayload(p.name())) {
                    PayloadCheck.copyVerified(p, in, OutputStream.nullOutputStream());
                }
            }
            System.out.printf("VERIFIED %s %s (%s for %s), built by %s at %s%n  signed by %s%n", m.name(), m.version(),
                    m.kind(), m.target(), m.builtBy(), m.buildTimestamp(), signers);
            return 0;
        } catch (ReleaseRejectedException e) {
            System.out.println("REJECTED " + e.code() + ": " + e.getMessage());
            return GantryCli.REJECTED;
        }
    }

    @Command(name = "publish", description = "Upload a release to the backend (it verifies before storing).")
    int publish(@Option(names = "--backend", required = true) URI backend,
            @Option(names = "--pki", required = true) Path pki,
            @Option(names = "--operator", required = true) String operator,
            @Parameters(paramLabel = "ARCHIVE") Path archive) throws Exception {
        PkiDirectory dir = PkiDirectory.open(pki, Clock.systemUTC());
        ManagementClient client = new ManagementClient(backend, dir.loadOperator(operator), dir.rootCaPem());
        System.out.println(client.uploadRelease(archive).toPrettyString());
        return 0;
    }
}
