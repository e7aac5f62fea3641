package io.gantry.renewal.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Reports the certificate state to the backend through hawkBit's device attributes:
 * {@code PUT /{tenant}/controller/v1/{controllerId}/configData} with
 * {@code {"mode":"merge","data":{...}}} (hawkBit DDI API). Best effort: the renewal never depends
 * on the report.
 */
final class ConfigDataReporter {
    /** The outcome of one report. */
    enum Outcome {
        SENT,
        /** The backend has no configData endpoint (404): stop reporting, nothing is wrong locally. */
        NOT_SUPPORTED,
        FAILED
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI backend;
    private final String tenant;

    ConfigDataReporter(URI backend, String tenant) {
        this.backend = backend;
        this.tenant = tenant;
    }

    Outcome report(SSLContext tls, String controllerId, Map<String, String> attributes) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("mode", "merge");
        ObjectNode data = body.putObject("data");
        attributes.forEach(data::put);
        URI uri = backend.resolve("/" + tenant + "/controller/v1/" + controllerId + "/configData");
        HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        try {
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 404 || status == 405) {
                return Outcome.NOT_SUPPORTED;
            }
            return status / 100 == 2 ? Outcome.SENT : Outcome.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
