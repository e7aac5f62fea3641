package io.gantry.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.metrics.GatewayCounter;
import io.gantry.api.metrics.MetricsSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/**
 * The gateway side of the hawkBit-style device API (docs/backend-api.md) over HTTPS with the
 * device certificate. Only https URLs are followed; responses are size-capped before parsing.
 */
final class DdiClient {
    static final int MAX_JSON = 256 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI controllerBase;
    private final DownloadLimits limits;
    /** Where payload downloads and their bytes are counted; {@code null}: not counted. */
    private final MetricsSink metrics;

    DdiClient(SSLContext tls, URI backend, String tenant, String controllerId) {
        this(tls, backend, tenant, controllerId, DownloadLimits.DEFAULT, null);
    }

    DdiClient(SSLContext tls, URI backend, String tenant, String controllerId, DownloadLimits limits, MetricsSink metrics) {
        this(tls, backend, tenant, controllerId, limits, metrics, null);
    }

    /**
     * @param executor runs the HTTP client's asynchronous tasks; {@code null}: a pool of the
     *     client's own, whose threads outlive the client by up to a minute. A poller that makes a
     *     client per cycle shares one executor instead, so clients left to the garbage collector
     *     do not each keep idle threads.
     */
    DdiClient(SSLContext tls, URI backend, String tenant, String controllerId, DownloadLimits limits, MetricsSink metrics,
            Executor executor) {
        this.limits = limits;
        this.metrics = metrics;
        if (!"https".equals(backend.getScheme())) {
            throw new IllegalArgumentException("backend URL must be https: " + backend);
        }
        HttpClient.Builder builder = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        this.http = (executor == null ? builder : builder.executor(executor)).build();
        this.controllerBase = backend.resolve("/" + tenant + "/controller/v1/" + controllerId);
    }

    /** Polls the controller base resource. */
    JsonNode poll() throws IOException {
        return getJson(controllerBase);
    }

    JsonNode getJson(URI uri) throws IOException {
        try (InputStream in = openStream(uri, "application/hal+json", MAX_JSON)) {
            byte[] body = in.readNBytes(MAX_JSON + 1);
            if (body.length > MAX_JSON) {
                throw new IOException(uri.getPath() + " exceeds " + MAX_JSON + " bytes");
            }
            return JSON.readTree(body);
        }
    }

    /** Fetches a small resource, refusing more than {@code max} bytes. */
    byte[] getBytes(URI uri, int max) throws IOException {
        try (InputStream in = openStream(uri, "application/octet-stream", max)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new IOException(uri.getPath() + " exceeds " + max + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Opens a download; the caller caps how much it reads. The body fails with
     * {@link SlowRetrievalException} if it stalls or exceeds the deadline for {@code expectedBytes}.
     */
    InputStream openStream(URI uri, long expectedBytes) throws IOException {
        if (metrics == null) {
            return openStream(uri, "application/octet-stream", expectedBytes);
        }
        InputStream body;
        try {
            body = openStream(uri, "application/octet-stream", expectedBytes);
        } catch (DownloadDeferredException e) {
            metrics.increment(GatewayCounter.DOWNLOADS, "deferred");
            throw e;
        } catch (IOException | RuntimeException e) {
            metrics.increment(GatewayCounter.DOWNLOADS, "failed");
            throw e;
        }
        metrics.increment(GatewayCounter.DOWNLOADS, "ok");
        return new java.io.FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    metrics.add(GatewayCounter.DOWNLOAD_BYTES, null, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                metrics.add(GatewayCounter.DOWNLOAD_BYTES, null, n);
                return n;
            }
        };
    }

    private InputStream openStream(URI uri, String accept, long expectedBytes) throws IOException {
        requireHttps(uri);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", accept).GET().build();
        HttpResponse<InputStream> res = send(req, info -> new DeadlineBody(limits.stallMillis(),
                limits.deadlineMillis(expectedBytes)));
        if (res.statusCode() == 429) {
            res.body().close();
            Duration wait = DownloadDeferredException.parseRetryAfter(res.headers().firstValue("Retry-After").orElse(null),
                    Duration.ofMinutes(1));
            throw new DownloadDeferredException("GET " + uri.getPath() + " answered 429 (download quota), retry after "
                    + wait.toSeconds() + " s", wait);
        }
        if (res.statusCode() != 200) {
            res.body().close();
            throw new IOException("GET " + uri.getPath() + " answered " + res.statusCode());
        }
        return res.body();
    }

    /** Posts hawkBit-style feedback for an action. */
    void feedback(String actionId, String execution, String finished, List<String> details) throws IOException {
        feedback("deploymentBase", actionId, execution, finished, details);
    }

    /** Posts hawkBit-style feedback on an operator's cancellation of an action. */
    void cancelFeedback(String actionId, String execution, String finished, List<String> details) throws IOException {
        feedback("cancelAction", actionId, execution, finished, details);
    }

    /**
     * Posts deployment feedback and answers the HTTP status instead of judging it: the report
     * journal decides whether the backend took it (200) or the action is closed or gone (410, 404).
     */
    int feedbackStatus(String actionId, String execution, String finished, List<String> details) throws IOException {
        return post("deploymentBase", actionId, execution, finished, details);
    }

    private void feedback(String resource, String actionId, String execution, String finished, List<String> details)
            throws IOException {
        int status = post(resource, actionId, execution, finished, details);
        if (status != 200) {
            throw new IOException("feedback for action " + actionId + " answered " + status);
        }
    }

    private int post(String resource, String actionId, String execution, String finished, List<String> details)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode status = body.putObject("status");
        status.put("execution", execution);
        status.putObject("result").put("finished", finished);
        details.forEach(status.putArray("details")::add);
        URI uri = URI.create(controllerBase + "/" + resource + "/" + actionId + "/feedback");
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        return send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(req, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void requireHttps(URI uri) throws IOException {
        if (!"https".equals(uri.getScheme())) {
            throw new IOException("refusing non-https link " + uri);
        }
    }
}
