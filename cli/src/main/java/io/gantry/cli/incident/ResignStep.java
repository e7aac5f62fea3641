package io.gantry.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.gantry.cli.mgmt.ManagementClient;
import io.gantry.signing.SigningKeyFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Step 4: re-signs every release the key signed (trust-root releases aside) with fresh keys, as a
 * new version, and uploads it; the backend accepts it only under the new trust root. A release
 * uploaded before an interruption is found again by name and version, so running the step again
 * finishes the rest.
 */
@RunsOnce
@Command(name = "resign", description = "Re-sign every release the key signed with fresh keys (new versions) and upload them.")
final class ResignStep extends KeyStep {
    @Option(names = "--sign-key", required = true, description = "fresh signing key .p12 (repeatable: a threshold of the role)")
    List<Path> signKeys;
    @Option(names = "--qualifier", defaultValue = "resigned", description = "appended to each version (default ${DEFAULT-VALUE})")
    String qualifier;
    @Option(names = "--work", description = "folder for downloaded and re-signed archives (default: beside the journal)")
    Path work;
    @Option(names = "--expires-days", defaultValue = "365", description = "days until the re-signed releases expire (default ${DEFAULT-VALUE})")
    long expiresDays;
    @Option(names = "--built-by", defaultValue = "incident response", description = "builtBy of the re-signed releases")
    String builtBy;



    @Override
    Result run(ManagementClient client, IncidentJournal journal, PrintStream out) throws Exception {
        List<KeyPair> keys = new ArrayList<>();
        for (Path p : signKeys) {
            keys.add(SigningKeyFiles.load(p));
        }
        Path dir = work != null ? work : journal.file().toAbsolutePath().resolveSibling("resign-" + key.substring(0, 12));
        Instant now = Clock.systemUTC().instant();
        ArrayNode mapping = JSON.createArrayNode();
        for (JsonNode r : client.get("incidents/keys/" + key + "/releases")) {
            if (r.path("kind").asText().equals("trust_root")) {
                continue;
            }
            long id = r.path("id").asLong();
            Path original = dir.resolve("release-" + id + ".gantry");
            java.nio.file.Files.createDirectories(dir);
            client.download("incidents/releases/" + id + "/archive", original);
            String version = ReleaseResigner.resignedVersion(r.path("version").asText(), qualifier);
            Path signed = ReleaseResigner.resign(original, version, dir.resolve("release-" + id), keys, builtBy, now,
                    Duration.ofDays(expiresDays));
            long newId = ResumableCalls.uploadOrFind(client, signed, r.path("name").asText(), version);
            out.println("release " + id + " " + r.path("name").asText() + " " + r.path("version").asText() + " -> release "
                    + newId + " " + version);
            mapping.addObject().put("from", id).put("to", newId).put("name", r.path("name").asText())
                    .put("fromVersion", r.path("version").asText()).put("version", version);
        }
        return new Result("re-signed " + mapping.size() + " releases", JSON.createObjectNode().set("releases", mapping));
    }
}
