package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.release.PayloadInfo;
import io.gantry.api.release.ReleaseKind;
import io.gantry.api.release.ReleaseMetadata;
import io.gantry.api.verify.ReleaseRejectedException;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import io.gantry.release.MetadataJson;
import io.gantry.release.ReleaseAuthorization;
import io.gantry.release.SignatureEnvelope;
import io.gantry.release.TrustRoot;
import io.gantry.release.TrustRootRotation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A device of a simulated fleet: polls the real backend's device API over mutual TLS with its own
 * certificate, confirms cancellations, and installs a deployment only after the checks a gateway
 * makes with the shared release library: the threshold of the allowed role under its own trust
 * root, each payload's signed digest and size, and for a trust-root release the rotation rule,
 * after which it uses the new root. It reports success, or failure with the rejection code.
 */
final class SimulatedDevice {
    private static final ObjectMapper JSON = new ObjectMapper();
    final String id;
    private final HttpClient http;
    private final URI controller;
    private final Clock clock;
    private TrustRoot root;
    /** Release name to the version installed. */
    final Map<String, String> installed = new TreeMap<>();

    SimulatedDevice(String id, ProtectedKeyStore identity, Path rootCa, URI backend, TrustRoot root, Clock clock) throws Exception {
        this.id = id;
        this.root = root;
        this.clock = clock;
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity.keyStore(), identity.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(rootCa));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        this.controller = backend.resolve("/DEFAULT/controller/v1/" + id);
    }

    /** @return the trust root version the device holds */
    long trustRootVersion() {
        return root.version();
    }

    /** One poll cycle. @return what it did: {@code idle}, {@code canceled <id>}, {@code installed <name> <version>} or {@code refused <CODE>} */
    String poll() throws Exception {
        JsonNode links = json(get(controller)).path("_links");
        if (links.has("cancelAction")) {
            JsonNode cancel = json(get(URI.create(links.at("/cancelAction/href").asText())));
            String action = cancel.path("id").asText();
            feedback(URI.create(controller + "/cancelAction/" + action + "/feedback"), "closed", "success", "canceled");
            return "canceled " + action;
        }
        if (!links.has("deploymentBase")) {
            return "idle";
        }
        JsonNode deployment = json(get(URI.create(links.at("/deploymentBase/href").asText())));
        URI feedback = URI.create(controller + "/deploymentBase/" + deployment.path("id").asText() + "/feedback");
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (JsonNode a : deployment.at("/deployment/chunks/0/artifacts")) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(a.at("/_links/download/href").asText())).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            files.put(a.path("filename").asText(), r.body());
        }
        try {
            byte[] metadata = files.get("release.json");
            ReleaseMetadata m = MetadataJson.parse(metadata);
            ReleaseAuthorization.authorize(m, metadata, SignatureEnvelope.parse(files.get("signatures.json")), root, clock.instant());
            for (PayloadInfo p : m.payloads()) {
                byte[] bytes = files.get(p.name());
                if (bytes == null || bytes.length != p.size() || !HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(bytes)).equals(p.sha256())) {
                    throw new IllegalStateException("payload " + p.name() + " differs from the signed one");
                }
            }
            if (m.kind() == ReleaseKind.TRUST_ROOT) {
                root = TrustRootRotation.rotate(root, files.get("trust-root.json"),
                        SignatureEnvelope.parse(files.get("trust-root.sigs.json")), clock.instant(), 2);
            }
            installed.put(m.name(), m.version());
            feedback(feedback, "closed", "success", "Installed " + m.name() + " " + m.version());
            return "installed " + m.name() + " " + m.version();
        } catch (ReleaseRejectedException e) {
            feedback(feedback, "closed", "failure", e.code().name() + ": " + e.getMessage());
            return "refused " + e.code().name();
        }
    }

    private void feedback(URI uri, String execution, String finished, String detail) throws Exception {
        ObjectNode status = JSON.createObjectNode();
        status.putObject("status").put("execution", execution).<ObjectNode>set("result",
                JSON.createObjectNode().put("finished", finished)).putArray("details").add(detail);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(status.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(id + ": feedback refused " + r.statusCode() + " " + r.body());
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IOException(id + ": GET " + uri + " answered " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
