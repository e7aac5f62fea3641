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
final class DdiReleaseSource implements ReleaseSource {
    private static final int MAX_SMALL = 64 * 1024;

    private final DdiClient client;
    private final String description;
    private final Map<String, URI> links = new HashMap<>();
    private final Map<String, Long> sizes = new HashMap<>();

    DdiReleaseSource(DdiClient client, JsonNode chunk) {
        this.client = client;
        this.description = chunk.path("name").asText("?") + " " + chunk.path("version").asText("?");
        for (JsonNode a : chunk.path("artifacts")) {
            String href = a.path("_links").path("download-http").path("href").asText(null);
            if (href != null) {
                links.put(a.path("filename").asText(), URI.create(href));
                sizes.put(a.path("filename").asText(), Math.max(0, a.path("size").asLong(0)));
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

    @Override
    public InputStream openPayload(String payloadName) throws IOException {
        // The listed size only sets the download deadline; the verifier still cuts at the signed size.
        return client.openStream(link(payloadName), sizes.getOrDefault(payloadName, 0L));
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
