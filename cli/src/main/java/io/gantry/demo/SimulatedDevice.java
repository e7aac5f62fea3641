package io.gantry.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A simulated device for the demo's rollouts: a plain hawkBit DDI client with its own device
 * certificate over mutual TLS that polls every second, downloads each artifact it is offered,
 * checks its sha256 against the deployment, and reports {@code closed/success} (or
 * {@code closed/failure} on a mismatch). It installs nothing: it stands in for the rest of a
 * fleet so a rollout has more than one group. Runs on a daemon thread until closed.
 */
final class SimulatedDevice implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofSeconds(1);
    private final String id;
    private final URI controller;
    private final HttpClient http;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile boolean running = true;

    SimulatedDevice(String id, URI backend, ProtectedKeyStore identity, Path rootCaPem, Consumer<String> log)
            throws GeneralSecurityException, IOException {
        this.id = id;
        this.controller = backend.resolve("/DEFAULT/controller/v1/" + id);
        this.log = log;
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity.keyStore(), identity.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(rootCaPem));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        this.thread = new Thread(this::run, "demo-device-" + id);
        thread.setDaemon(true);
    }

    /** Polls once at once (the backend then knows the device), then keeps polling in the background. */
    SimulatedDevice start() throws IOException, InterruptedException {
        get(controller);
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                JsonNode links = get(controller).path("_links");
                String deployment = links.path("deploymentBase").path("href").asText(null);
                if (deployment != null) {
                    install(get(URI.create(deployment)));
                }
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (running) {
                    log.accept("[" + id + "] poll failed: " + e.getMessage());
                }
            }
        }
    }

    private void install(JsonNode deployment) throws IOException, InterruptedException {
        String actionId = deployment.path("id").asText();
        boolean ok = true;
        StringBuilder what = new StringBuilder();
        for (JsonNode chunk : deployment.path("deployment").path("chunks")) {
            for (JsonNode artifact : chunk.path("artifacts")) {
                String sha256 = sha256(URI.create(artifact.at("/_links/download/href").asText()));
                ok &= sha256.equals(artifact.at("/hashes/sha256").asText());
            }
            what.append(chunk.path("name").asText()).append(' ').append(chunk.path("version").asText());
        }
        String body = "{\"status\":{\"execution\":\"closed\",\"result\":{\"finished\":\"" + (ok ? "success" : "failure")
                + "\"},\"details\":[\"simulated device: " + (ok ? "downloaded " + what + ", sha256 matches" : "sha256 mismatch")
                + "\"]}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(controller + "/deploymentBase/" + actionId + "/feedback"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        log.accept("[" + id + "] action " + actionId + ": " + what + (ok ? " downloaded, sha256 matches: reported success"
                : ": sha256 mismatch, reported failure") + " (HTTP " + r.statusCode() + ")");
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " from " + uri.getPath());
        }
        return JSON.readTree(r.body());
    }

    private String sha256(URI download) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(download).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new IOException("download: HTTP " + r.statusCode());
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[16384];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
