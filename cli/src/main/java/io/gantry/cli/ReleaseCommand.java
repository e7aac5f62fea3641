package io.gantry.cli;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.pki.PkiDirectory;
import io.gantry.release.ArchiveCheck;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.ArchiveSigning;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.ReleaseAuthorization;
import io.gantry.release.ReleaseBuilder;
import io.gantry.release.ReleaseSignature;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootRotation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Build, sign, verify and publish release archives (docs/release-format.md). */
@Command(name = "release", description = "Build, sign, verify, finish and publish releases.")
final class ReleaseCommand {
    /** The smallest role threshold the CLI accepts in a trust root, as gateways do by default. */
    static final int TWO_PERSON_MINIMUM = 2;

    @Command(name = "build", description = "Build an unsigned release archive from payload files.")
    int build(@Option(names = "--out", required = true, description = "archive to write (.gantry)") Path out,
            @Option(names = "--name", required = true, description = "release name; for a bundle its Bundle-SymbolicName") String name,
            @Option(names = "--version", required = true, description = "MAJOR.MINOR.MICRO[.QUALIFIER]; the major selects the signing role") String version,
            @Option(names = "--kind", required = true, description = "${COMPLETION-CANDIDATES}") ReleaseKind kind,
            @Option(names = "--target", required = true, description = "device type; gantry-gateway for gateway bundles") String target,
            @Option(names = "--built-by", required = true, description = "release manager identity") String builtBy,
            @Option(names = "--payload", required = true, description = "NAME=FILE: the payload's name in the release and the file it is read from (repeatable)") Map<String, Path> payloads,
            @Option(names = "--expires-days", defaultValue = "365", description = "days until it expires (default ${DEFAULT-VALUE})") long expiresDays,
            @Option(names = "--security-counter", defaultValue = "0", description = "anti-rollback counter; raise it to retire vulnerable releases (default ${DEFAULT-VALUE})") long counter)
            throws Exception {
        Instant now = Clock.systemUTC().instant();
        ReleaseMetadata m = ReleaseBuilder.buildUnsigned(out, name, version, kind, target, builtBy, now,
                now.plus(Duration.ofDays(expiresDays)), counter, new LinkedHashMap<>(payloads));
        System.out.println("built " + out + ": " + m.name() + " " + m.version() + " for " + m.target() + ", unsigned");
        return 0;
    }

    @Command(name = "sign", description = "Add a detached signature with a signing key (file or PKCS#11 token).")
    int sign(@Option(names = "--key", description = "signing key .p12") Path key,
            @Option(names = "--pkcs11", description = "token config properties file (docs/keys.md)") Path pkcs11,
            @Option(names = "--key-alias", description = "signing key on the token") String keyAlias,
            @Parameters(paramLabel = "ARCHIVE", description = "release archive, signed in place") Path archive) throws Exception {
        KeyPair pair = SigningKeyChoice.load(key, pkcs11, keyAlias);
        ReleaseSignature sig = ArchiveSigning.addSignature(archive, archive, pair.getPrivate(), pair.getPublic());
        System.out.println("signed " + archive + " with key " + sig.keyId());
        return 0;
    }

    @Command(name = "verify", description = "Show who signed, whether the threshold is met, and check every payload.")
    int verify(@Option(names = "--trust-root", required = true, description = "trust-root.json (signatures beside it)") Path trustRoot,
            @Parameters(paramLabel = "ARCHIVE", description = "release archive") Path archive) throws Exception {
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            TrustRoot root = loadTrustRoot(trustRoot);
            ReleaseMetadata m = MetadataJson.parse(src.metadata());
            System.out.printf("%s %s (%s for %s), built by %s at %s, expires %s, security counter %d%n", m.name(),
                    m.version(), m.kind(), m.target(), m.builtBy(), m.buildTimestamp(), m.expires(), m.securityCounter());
            for (ArchiveCheck.RoleStatus r : ArchiveCheck.status(src, root)) {
                System.out.printf("  role %s: %d of %d %s%s%n", r.role(), r.signers().size(), r.threshold(), r.signers(),
                        r.met() ? " (threshold met)" : "");
            }
            ReleaseAuthorization.Authorized a = ArchiveCheck.check(src, root, Clock.systemUTC().instant());
            System.out.println("VERIFIED: " + a.role().name() + " threshold met by " + a.signerNames() + "; payloads intact");
            return 0;
        } catch (ReleaseRejectedException e) {
            System.out.println("REJECTED " + e.code() + ": " + e.getMessage());
            return GantryCli.REJECTED;
        }
    }

    @Command(name = "finish", description = "Write the publishable release, only if it fully verifies (threshold met).")
    int finish(@Option(names = "--trust-root", required = true, description = "trust-root.json (signatures beside it)") Path trustRoot,
            @Option(names = "--out", required = true, description = "publishable archive to write") Path out,
            @Parameters(paramLabel = "ARCHIVE", description = "signed release archive") Path archive) throws Exception {
        try (ArchiveReleaseSource src = ReleaseArchive.open(archive)) {
            ReleaseAuthorization.Authorized a = ArchiveCheck.check(src, loadTrustRoot(trustRoot), Clock.systemUTC().instant());
            if (!Files.exists(out) || !Files.isSameFile(archive, out)) {
                Files.copy(archive, out, StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("finished " + out + ": " + a.role().name() + " signed by " + a.signerNames());
            return 0;
        } catch (ReleaseRejectedException e) {
            System.out.println("REFUSED " + e.code() + ": " + e.getMessage());
            return GantryCli.REJECTED;
        }
    }

    static TrustRoot loadTrustRoot(Path json) throws Exception {
        TrustRootFiles.Signed s = TrustRootFiles.read(json);
        return TrustRootRotation.acceptStored(s.bytes(), s.signatures(), TWO_PERSON_MINIMUM);
    }

    @Command(name = "publish", description = "Upload a release to the backend (it verifies before storing); prints the stored release with its id.")
    int publish(@Option(names = "--backend", required = true, description = "backend base URL, e.g. https://127.0.0.1:8443") URI backend,
            @Option(names = "--pki", required = true, description = "PKI folder holding the operator credential and the root CA") Path pki,
            @Option(names = "--operator", required = true, description = "operator name from 'pki operator'") String operator,
            @Option(names = "--trust-root", description = "check locally first; the backend checks again") Path trustRoot,
            @Parameters(paramLabel = "ARCHIVE", description = "finished release archive") Path archive) throws Exception {
        if (trustRoot != null && finish(trustRoot, archive, archive) != 0) {
            return GantryCli.REJECTED;
        }
        PkiDirectory dir = PkiDirectory.open(pki, Clock.systemUTC());
        ManagementClient client = new ManagementClient(backend, dir.loadOperator(operator), dir.rootCaPem());
        System.out.println(client.uploadRelease(archive).toPrettyString());
        return 0;
    }
}
