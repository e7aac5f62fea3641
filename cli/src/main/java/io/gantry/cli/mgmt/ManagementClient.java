package io.gantry.cli.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The operator's side of the management API (docs/backend-api.md), over mutual TLS. */
public final class ManagementClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final URI base;

    /**
     * @param backend the backend base URI
     * @param operator the operator's key store (OU=operators certificate)
     * @param rootCaPem the CA that must have issued the backend's certificate
     */
    public ManagementClient(URI backend, ProtectedKeyStore operator, Path rootCaPem)
            throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(operator.keyStore(), operator.password());
        KeyStore trust = PemCertificates.trustStore(rootCaPem);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        this.base = backend.resolve("/rest/v1/");
    }

    /** Uploads a release archive; the backend verifies it before storing anything. */
    public JsonNode uploadRelease(Path archive) throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve("releases"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(archive)), 201);
    }

    /** Assigns a release to a target. @return the action id */
    public long assign(String controllerId, long releaseId) throws IOException, ManagementException {
        String body = JSON.createObjectNode().put("releaseId", releaseId).toString();
        return send(HttpRequest.newBuilder(base.resolve("targets/" + controllerId + "/actions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), 201).path("actionId").asLong();
    }

    /** @return the action with its status history */
    public JsonNode action(long actionId) throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve("actions/" + actionId)).GET(), 200);
    }

    /** @return the target, or a {@link ManagementException} with code TARGET_NOT_FOUND */
    public JsonNode target(String controllerId) throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve("targets/" + controllerId)).GET(), 200);
    }

    /** @return the newest {@code size} security events (1 to 500), newest first: the first page */
    public JsonNode securityEvents(int size) throws IOException, ManagementException {
        return securityEvents(Map.of(), 0, size).items();
    }

    /** Revokes certificates by serial (hex). @return the backend's answer */
    public JsonNode revoke(String reason, String... serials) throws IOException, ManagementException {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("reason", reason);
        for (String s : serials) {
            body.withArray("serials").add(s);
        }
        return send(HttpRequest.newBuilder(base.resolve("certificates/revocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), 200);
    }

    /** @return the registry record of one certificate (serial in hex) */
    public JsonNode certificate(String serial) throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve("certificates/" + serial)).GET(), 200);
    }

    /** Creates a rollout from its JSON request (docs/rollouts.md). @return the CREATED rollout */
    public JsonNode createRollout(JsonNode spec) throws IOException, ManagementException {
        return postJson("rollouts", spec, 201);
    }

    /** @return who the rollout would target now, by group, and who would be held; nothing is stored */
    public JsonNode dryRunRollout(JsonNode spec) throws IOException, ManagementException {
        return postJson("rollouts/dry-run", spec, 200);
    }

    /** @return every rollout with per-group progress */
    public JsonNode rollouts() throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve("rollouts")).GET(), 200);
    }

    /** @return one rollout with per-group progress and held devices */
    public JsonNode rollout(long id) throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve("rollouts/" + id)).GET(), 200);
    }

    /**
     * @param id the rollout
     * @param operation {@code pause}, {@code resume} or {@code cancel}
     * @return the rollout after the change
     */
    public JsonNode changeRollout(long id, String operation) throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve("rollouts/" + id + "/" + operation))
                .POST(HttpRequest.BodyPublishers.noBody()), 200);
    }

    /** Adds tags to a target. @return its tags afterwards */
    public JsonNode tag(String controllerId, String... tags) throws IOException, ManagementException {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
        for (String t : tags) {
            body.withArray("add").add(t);
        }
        return postJson("targets/" + controllerId + "/tags", body, 200);
    }

    /** @return the JSON answer of {@code GET /rest/v1/<path>} (200 expected) */
    public JsonNode get(String path) throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), 200);
    }

    /** @return the JSON answer of {@code POST /rest/v1/<path>} with a JSON body ({@code null}: none) */
    public JsonNode post(String path, JsonNode body, int expected) throws IOException, ManagementException {
        if (body == null) {
            return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()), expected);
        }
        return postJson(path, body, expected);
    }

    /** Writes the body of {@code GET /rest/v1/<path>} (200 expected) to {@code out}. */
    public void download(String path, Path out) throws IOException, ManagementException {
        HttpResponse<Path> res;
        try {
            res = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(300)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (res.statusCode() != 200) {
            JsonNode body = JSON.readTree(java.nio.file.Files.readAllBytes(out));
            java.nio.file.Files.deleteIfExists(out);
            throw new ManagementException(res.statusCode(), body.path("code").asText("HTTP_" + res.statusCode()),
                    body.path("message").asText(""));
        }
    }

    /** @return one page of devices (the fleet list; 404 NOT_FOUND on a backend that does not serve it) */
    public JsonNode targets(int limit) throws IOException, ManagementException {
        return get("targets?page=0&size=" + limit);
    }

    /** @return the attributes a device reported about itself (its claims, not facts) */
    public JsonNode attributes(String controllerId) throws IOException, ManagementException {
        return get("targets/" + segment(controllerId) + "/attributes");
    }

    /** @return every release, oldest first */
    public JsonNode releases() throws IOException, ManagementException {
        return get("releases");
    }

    /** @return one release */
    public JsonNode release(long id) throws IOException, ManagementException {
        return get("releases/" + id);
    }

    /** @return the newest alerts, the first page (404 NOT_FOUND on a backend that does not serve them) */
    public JsonNode alerts() throws IOException, ManagementException {
        return get("alerts");
    }

    /** Fleet alerts, newest first, filtered by {@code state}, {@code kind}. */
    public Page alerts(Map<String, String> filters, int page, int size) throws IOException, ManagementException {
        return list("alerts", filters, page, size);
    }

    /** @return how many fleet alerts are OPEN (neither acknowledged nor resolved) */
    public long openAlerts() throws IOException, ManagementException {
        return alerts(Map.of("state", "OPEN"), 0, 1).total();
    }

    /** Acknowledges an alert. @return the backend's answer (empty when it sends none) */
    public JsonNode acknowledgeAlert(String id) throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve("alerts/" + segment(id) + "/acknowledge"))
                .POST(HttpRequest.BodyPublishers.noBody()), 200, 204);
    }

    /** @return the certificates issued to {@code CN=commonName}, newest first */
    public JsonNode certificatesOf(String commonName) throws IOException, ManagementException {
        return get("certificate-expiry/" + segment(commonName));
    }

    /** @return the device certificates counted by expiry window, with the soonest listed */
    public JsonNode certificateExpiry() throws IOException, ManagementException {
        return get("certificate-expiry");
    }

    /** @return the download log's hash chain, recomputed now: entries, intact, firstBroken, reason */
    public JsonNode downloadLogVerification() throws IOException, ManagementException {
        return get("download-log/verification");
    }

    private static String segment(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode postJson(String path, JsonNode body, int expected) throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), expected);
    }

    /**
     * One page of a list endpoint.
     *
     * @param items the page, a JSON array
     * @param total matches over all pages ({@code X-Total-Count})
     */
    public record Page(JsonNode items, long total) {
    }

    /**
     * Fleet search ({@code GET /rest/v1/targets}).
     *
     * @param filters query parameters such as {@code deviceType}, {@code attribute.site}, {@code tag} (several values: all),
     *     {@code release}, {@code version}, {@code lastSeenBefore}, {@code certExpiresBefore}
     * @param page from 0
     * @param size 1 to 500
     */
    public Page targets(Map<String, List<String>> filters, int page, int size) throws IOException, ManagementException {
        return page("targets", filters, page, size);
    }

    /** Releases, oldest first, filtered by {@code name}, {@code version}, {@code kind}. */
    public Page releases(Map<String, String> filters, int page, int size) throws IOException, ManagementException {
        return page("releases", single(filters), page, size);
    }

    /** Rollouts, oldest first, filtered by {@code state}, {@code releaseId}. */
    public Page rollouts(Map<String, String> filters, int page, int size) throws IOException, ManagementException {
        return page("rollouts", single(filters), page, size);
    }

    /** The security-event audit trail, newest first, filtered by {@code code}, {@code subject}, {@code since}, {@code until}. */
    public Page securityEvents(Map<String, String> filters, int page, int size) throws IOException, ManagementException {
        return page("security-events", single(filters), page, size);
    }

    /** The download log, newest first, filtered by {@code controllerId}, {@code releaseId}, {@code since}, {@code until}. */
    public Page downloadLog(Map<String, String> filters, int page, int size) throws IOException, ManagementException {
        return page("download-log", single(filters), page, size);
    }

    /**
     * One page of any management list.
     *
     * @param path the list under {@code /rest/v1/}, e.g. {@code alerts}
     * @param filters its single-valued filters
     */
    public Page list(String path, Map<String, String> filters, int page, int size) throws IOException, ManagementException {
        return page(path, single(filters), page, size);
    }

    /** @return the backend's OpenAPI document of this API */
    public JsonNode openApi() throws IOException, ManagementException {
        return send(HttpRequest.newBuilder(base.resolve("openapi.json")).GET(), 200);
    }

    private Page page(String path, Map<String, List<String>> filters, int page, int size) throws IOException, ManagementException {
        StringBuilder q = new StringBuilder(path).append("?page=").append(page).append("&size=").append(size);
        for (Map.Entry<String, List<String>> f : new TreeMap<>(filters).entrySet()) {
            for (String v : f.getValue()) {
                q.append('&').append(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        HttpResponse<byte[]> res = exchange(HttpRequest.newBuilder(base.resolve(q.toString())).GET());
        JsonNode body = check(res, 200);
        return new Page(body, res.headers().firstValueAsLong("X-Total-Count").orElse(body.size()));
    }

    private static Map<String, List<String>> single(Map<String, String> filters) {
        Map<String, List<String>> out = new TreeMap<>();
        filters.forEach((k, v) -> out.put(k, List.of(v)));
        return out;
    }

    private JsonNode send(HttpRequest.Builder req, int... expected) throws IOException, ManagementException {
        return check(exchange(req), expected);
    }

    private HttpResponse<byte[]> exchange(HttpRequest.Builder req) throws IOException {
        try {
            return http.send(req.timeout(Duration.ofSeconds(60)).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static JsonNode check(HttpResponse<byte[]> res, int... expected) throws IOException, ManagementException {
        JsonNode body = res.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(res.body());
        if (java.util.Arrays.stream(expected).noneMatch(e -> e == res.statusCode())) {
            throw new ManagementException(res.statusCode(), body.path("code").asText("HTTP_" + res.statusCode()),
                    body.path("message").asText(""));
        }
        return body;
    }
}
