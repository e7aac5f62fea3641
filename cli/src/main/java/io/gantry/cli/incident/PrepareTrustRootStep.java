package io.gantry.cli.incident;

import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.release.ReleaseBuilder;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootFiles;
import io.gantry.release.TrustRootRotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Step 2a, offline: wraps a new trust root (made with {@code gantry trust-root create --revoke ...}
 * and signed by the root key holders with {@code gantry trust-root sign}) in an unsigned
 * trust-root release, after checking that it carries its own root threshold and revokes the key.
 * The root key holders then sign the release with {@code gantry release sign}; no backend is
 * needed, so this runs on the offline machine. Journaled locally only.
 */
@Command(name = "prepare-trust-root", description = "Offline: wrap a threshold-signed trust root that revokes the key in an"
        + " unsigned trust-root release for the root key holders to sign.")
final class PrepareTrustRootStep implements Callable<Integer> {
    @Option(names = "--key", required = true, description = "key id of the compromised key (64 hex digits)")
    String key;
    @Option(names = "--trust-root", required = true, description = "the new trust-root.json (signatures beside it)")
    Path trustRoot;
    @Option(names = "--out", required = true, description = "unsigned trust-root release to write")
    Path out;
    @Option(names = "--journal", required = true, description = "the incident's local log")
    Path journal;
    @Option(names = "--expires-days", defaultValue = "30", description = "days until the release expires (default ${DEFAULT-VALUE})")
    long expiresDays;

    @Override
    public Integer call() throws Exception {
        if (!key.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("--key must be 64 lower-case hex digits, not " + key);
        }
        IncidentJournal log = new IncidentJournal(journal, "key-compromise " + key, Clock.systemUTC());
        TrustRootFiles.Signed signed = TrustRootFiles.read(trustRoot);
        TrustRoot root = TrustRootRotation.acceptStored(signed.bytes(), signed.signatures(), 2);
        if (!root.revokedKeyIds().contains(key)) {
            throw new IllegalArgumentException(trustRoot + " (version " + root.version() + ") does not revoke key " + key
                    + ": create it with 'gantry trust-root create --revoke NAME'");
        }
        Map<String, Path> payloads = new LinkedHashMap<>();
        payloads.put("trust-root.json", trustRoot);
        payloads.put("trust-root.sigs.json", TrustRootFiles.signaturesOf(trustRoot));
        Instant now = Clock.systemUTC().instant();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        ReleaseMetadata m = ReleaseBuilder.buildUnsigned(out, "trust-root", root.version() + ".0.0", ReleaseKind.TRUST_ROOT,
                ReleaseMetadata.GATEWAY_TARGET, "incident response", now, now.plus(Duration.ofDays(expiresDays)), 0, payloads);
        String summary = "wrote unsigned trust-root release " + m.version() + " to " + out + "; root key holders sign it with"
                + " 'gantry release sign', then run publish-trust-root";
        log.append("prepare-trust-root", "done", summary, IncidentStep.JSON.createObjectNode().put("trustRootVersion", root.version())
                .put("release", out.toString()));
        System.out.println("prepare-trust-root: " + summary);
        return 0;
    }
}
