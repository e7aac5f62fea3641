package io.gantry.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;

/**
 * One simulated gateway on its own thread: its own certificate, one keep-alive mutual-TLS
 * connection, and the hawkBit DDI loop a real gateway runs: poll; when the poll links a
 * {@code deploymentBase}, fetch it, download every artifact, and report closed/success. Latencies
 * are recorded only while the fleet is measuring.
 */
final class SimulatedGateway implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SUCCESS = "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"success\"}}}"
            .getBytes(StandardCharsets.US_ASCII);
    private final String id;
    private final Fleet fleet;
    private final KeepAliveConnection http;
    private final String pollPath;
    final LatencyLog polls = new LatencyLog();
    final LatencyLog others = new LatencyLog();
    final LatencyLog downloads = new LatencyLog();
    volatile long pollCount;
    volatile long errors;
    volatile long downloadedBytes;
    volatile long updatesFinished;
    volatile String lastError;
    /** Bytes of repeated downloads while the fleet measured them (download phase). */
    volatile long repeatedBytes;
    private String lastDownload;

    SimulatedGateway(String id, SSLSocketFactory tls, Fleet fleet) {
        this.id = id;
        this.fleet = fleet;
        this.http = new KeepAliveConnection(tls, fleet.host(), fleet.port());
        this.pollPath = "/" + fleet.tenant() + "/controller/v1/" + id;
    }

    String id() {
        return id;
    }

    int connectionsOpened() {
        return http.opened();
    }

    @Override
    public void run() {
        try {
            while (fleet.running()) {
                try {
                    if (fleet.downloading() && lastDownload != null) {
                        downloadAgain();
                        continue;
                    }
                    cycle();
                } catch (IOException | RuntimeException e) {
                    errors++;
                    lastError = e.toString();
                    pause(100);
                }
                if (fleet.pollIntervalMillis() > 0) {
                    pause(fleet.pollIntervalMillis());
                }
            }
        } finally {
            http.close();
        }
    }

    private void cycle() throws IOException {
        long t0 = System.nanoTime();
        HttpResponseReader.Response poll = http.exchange("GET", pollPath, null, null);
        long t1 = System.nanoTime();
        if (fleet.measuring()) {
            polls.add(t1 - t0);
        }
        pollCount++;
        if (poll.status() != 200) {
            throw new IOException("poll answered " + poll.status() + ": " + poll.text());
        }
        String text = poll.text();
        if (!text.contains("\"deploymentBase\"")) {
            return;
        }
        String deployment = path(JSON.readTree(text).at("/_links/deploymentBase/href").asText());
        JsonNode doc = JSON.readTree(timed("GET", deployment, null, null).body());
        for (JsonNode artifact : doc.at("/deployment/chunks/0/artifacts")) {
            String link = path(artifact.at("/_links/download/href").asText());
            CountingSink sink = new CountingSink();
            long d0 = System.nanoTime();
            HttpResponseReader.Response r = http.exchange("GET", link, null, sink);
            long took = System.nanoTime() - d0;
            if (r.status() != 200 || r.bodyBytes() != artifact.path("size").asLong()) {
                throw new IOException("download of " + link + " answered " + r.status() + " with " + r.bodyBytes() + " bytes");
            }
            downloads.add(took);
            lastDownload = link;
            downloadedBytes += r.bodyBytes();
            fleet.downloadWindow(d0, d0 + took);
        }
        String action = doc.path("id").asText();
        HttpResponseReader.Response fb = timed("POST", pollPath + "/deploymentBase/" + action + "/feedback", SUCCESS, null);
        if (fb.status() != 200) {
            throw new IOException("feedback answered " + fb.status() + ": " + fb.text());
        }
        updatesFinished++;
        fleet.updateFinished();
    }

    /** Download phase: the artifact of the finished update again, as a device resuming or re-fetching would. */
    private void downloadAgain() throws IOException {
        HttpResponseReader.Response r = http.exchange("GET", lastDownload, null, new CountingSink());
        if (r.status() != 200) {
            throw new IOException("repeated download answered " + r.status());
        }
        if (fleet.measuring()) {
            repeatedBytes += r.bodyBytes();
        }
    }

    private HttpResponseReader.Response timed(String method, String path, byte[] body, OutputStream sink) throws IOException {
        long t0 = System.nanoTime();
        HttpResponseReader.Response r = http.exchange(method, path, body, sink);
        others.add(System.nanoTime() - t0);
        if (r.status() != 200) {
            throw new IOException(method + " " + path + " answered " + r.status() + ": " + r.text());
        }
        return r;
    }

    private static String path(String href) {
        URI u = URI.create(href);
        return u.getRawQuery() == null ? u.getRawPath() : u.getRawPath() + "?" + u.getRawQuery();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts and drops downloaded bytes (the size is checked; the hash is the gateway verifier's job, measured elsewhere). */
    private static final class CountingSink extends OutputStream {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
