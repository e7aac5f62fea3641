package io.gantry.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.verify.ReleaseSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * A release offered through one deployment chunk: its artifacts are the metadata
 * ({@code release.json}), the signature envelope ({@code signatures.json}) and the payloads. The
 * chunk's hashes and names are untrusted hints; only the signed metadata decides.
 */
final class DdiReleaseSource implements ReleaseSource, DeviceProgress {
    private static final int MAX_SMALL = 64 * 1024;

    private final DdiClient client;
    private final String description;
    private final Map<String, URI> links = new HashMap<>();
    private final DeviceProgress progress;

    DdiReleaseSource(DdiClient client, JsonNode chunk) {
        this(client, chunk, DeviceProgress.NONE);
    }

    /** @param progress where per-device progress lines of this deployment go (its action's feedback) */
    DdiReleaseSource(DdiClient client, JsonNode chunk, DeviceProgress progress) {
        this.client = client;
        this.progress = progress;
        this.description = chunk.path("name").asText("?") + " " + chunk.path("version").asText("?");
        for (JsonNode a : chunk.path("artifacts")) {
            // hawkBit names an HTTPS link "download" and a plain-HTTP one "download-http".
            JsonNode linkSet = a.path("_links");
            String href = linkSet.path("download").path("href").asText(linkSet.path("download-http").path("href").asText(null));
            if (href != null) {
                links.put(a.path("filename").asText(), URI.create(href));
            }
        }
    }

    @Override
    public byte[] metadata() throws IOException {
        return client.getBytes(link("release.json"), MAX_SMALL);
    }

    @Override
    public byte[] signatures() throws IOException {
        return client.getBytes(link("signatures.json"), MAX_SMALL);
    }

    /** Without a signed size the deadline is the base allowance alone (DownloadLimits). */
    @Override
    public InputStream openPayload(String payloadName) throws IOException {
        return openPayload(payloadName, 0);
    }

    /**
     * The deadline grows with the SIGNED size, never with the size the deployment lists: a server
     * that lists a huge size cannot buy itself time for a trickle. The verifier still cuts the
     * stream at the signed size.
     */
    @Override
    public InputStream openPayload(String payloadName, long signedSize) throws IOException {
        return client.openStream(link(payloadName), signedSize);
    }

    @Override
    public void deviceProgress(String line) {
        progress.deviceProgress(line);
    }

    @Override
    public String describe() {
        return description;
    }

    private URI link(String filename) throws FileNotFoundException {
        URI uri = links.get(filename);
        if (uri == null) {
            throw new FileNotFoundException("deployment offers no artifact " + filename);
        }
        return uri;
    }
}
