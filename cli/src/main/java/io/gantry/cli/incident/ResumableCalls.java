package io.gantry.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.cli.mgmt.ManagementException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Calls a step may have made before it was interrupted (after the backend acted, before the
 * journal said {@code done}): running the step again finds what exists instead of failing or
 * doing it twice.
 */
final class ResumableCalls {
    private ResumableCalls() {
    }

    /** @return the id of the uploaded release, or of the same name and version uploaded by an earlier run */
    static long uploadOrFind(ManagementClient client, Path archive, String name, String version) throws Exception {
        try {
            return client.uploadRelease(archive).path("id").asLong();
        } catch (ManagementException e) {
            if (!"DUPLICATE_RELEASE".equals(e.code())) {
                throw e;
            }
            for (JsonNode r : client.get("releases")) {
                if (r.path("name").asText().equals(name) && r.path("version").asText().equals(version)) {
                    return r.path("id").asLong();
                }
            }
            throw e;
        }
    }

    /** @return a rollout of the release that was not canceled, if an earlier run created one */
    static Optional<JsonNode> rolloutOf(ManagementClient client, long releaseId) throws Exception {
        for (JsonNode r : client.rollouts()) {
            if (r.path("releaseId").asLong() == releaseId && !r.path("state").asText().equals("CANCELED")) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
