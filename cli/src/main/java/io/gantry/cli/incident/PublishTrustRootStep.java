package io.gantry.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.release.ArchiveReleaseSource;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseArchive;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootJson;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Step 2b: uploads the trust-root release the root key holders signed offline. The backend checks
 * the rotation and switches to the new root at once (releases the key signed lose their threshold
 * and are withdrawn); then a rollout takes the new root to every device. Not reversible: a
 * revocation is undone only by a further rotation that trusts the key again.
 */
@RunsOnce
@Command(name = "publish-trust-root", description = "Upload the threshold-signed trust-root release that revokes the key"
        + " and roll it out to every device.")
final class PublishTrustRootStep extends KeyStep {
    @Option(names = "--release", required = true, description = "the trust-root release, signed by the root threshold")
    Path release;
    @Option(names = "--rollout-name", description = "name of the rollout (default: incident trust root <version>)")
    String rolloutName;



    @Override
    Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
        TrustRoot carried;
        ReleaseMetadata m;
        try (ArchiveReleaseSource src = ReleaseArchive.open(release)) {
            m = MetadataJson.parse(src.metadata());
            if (m.kind() != ReleaseKind.TRUST_ROOT) {
                throw new IllegalArgumentException(release + " is a " + m.kind() + " release, not a trust-root release");
            }
            try (InputStream in = src.openPayload("trust-root.json")) {
                carried = TrustRootJson.parse(in.readAllBytes());
            }
        }
        if (!carried.revokedKeyIds().contains(key)) {
            throw new IllegalArgumentException("the trust root in " + release + " (version " + carried.version()
                    + ") does not revoke key " + key);
        }
        long releaseId = ResumableCalls.uploadOrFind(client, release, m.name(), m.version());
        JsonNode active = client.get("incidents/trust-root");
        boolean revoked = false;
        for (JsonNode k : active.path("revokedKeyIds")) {
            revoked |= k.asText().equals(key);
        }
        if (active.path("version").asLong() != carried.version() || !revoked) {
            throw new IllegalStateException("backend reports trust root " + active + " after the upload, not version "
                    + carried.version() + " revoking the key");
        }
        ObjectNode spec = JSON.createObjectNode().put("name", rolloutName != null ? rolloutName
                : "incident trust root " + carried.version()).put("releaseId", releaseId);
        spec.putArray("percentages").add(100);
        JsonNode rollout = ResumableCalls.rolloutOf(client, releaseId).orElse(null);
        if (rollout == null) {
            rollout = client.createRollout(spec);
        }
        out.println("backend now enforces trust root version " + carried.version() + "; rollout " + rollout.path("id").asLong()
                + " takes it to every device");
        ObjectNode data = JSON.createObjectNode().put("releaseId", releaseId).put("trustRootVersion", carried.version())
                .put("rolloutId", rollout.path("id").asLong());
        return new Result("trust root version " + carried.version() + " active on the backend (release " + releaseId
                + "), rollout " + rollout.path("id").asLong(), data);
    }
}
