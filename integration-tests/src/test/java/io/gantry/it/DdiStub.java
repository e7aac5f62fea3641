package io.gantry.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A hostile backend on loopback, hawkBit-shaped like the real device API (docs/backend-api.md):
 * it offers whatever bytes a test hands it, as a compromised backend or CDN would, and records
 * the feedback the gateway's agent sends upstream. Mutual TLS with a server certificate from the
 * test PKI; the gateway's own certificate is required, as on the real backend.
 */
final class DdiStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes one artifact's bytes; may write forever (endless data) until the client hangs up. */
    interface Artifact {
        void write(OutputStream out) throws IOException;

        static Artifact of(byte[] bytes) {
            byte[] copy = bytes.clone();
            return out -> out.write(copy);
        }
    }

    /** A closed action as the gateway reported it. */
    record Feedback(String actionId, String execution, String finished, List<String> details) {
    }

    private record Offer(String actionId, String name, String version, Map<String, Artifact> artifacts) {
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ddi-stub");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger actions = new AtomicInteger(1000);
    private final AtomicLong polls = new AtomicLong();
    private final List<String> fetched = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final BlockingQueue<Feedback> closed = new LinkedBlockingQueue<>();
    private volatile Offer offer;

    private DdiStub(HttpsServer server) {
        this.server = server;
    }

    /**
     * @param port the loopback port the gateway's agent was configured with
     * @param serverKeyStore PKCS#12 with the server key and chain
     * @param passwordFile the file holding its password
     * @param clientCa PEM of the CA that issued the gateway's certificate
     */
    static DdiStub start(int port, Path serverKeyStore, Path passwordFile, Path clientCa) throws Exception {
        char[] password = Files.readString(passwordFile).trim().toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeyStore)) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(clientCa)) {
            int i = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                anchors.setCertificateEntry("ca" + i++, (X509Certificate) c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        DdiStub stub = new DdiStub(server);
        server.createContext("/", stub::handle);
        server.setExecutor(stub.executor);
        server.start();
        return stub;
    }

    /**
     * Offers a release as one deployment chunk; the gateway fetches it at its next poll.
     *
     * @param artifacts file name to bytes: {@code release.json}, {@code signatures.json}, payloads
     * @return the action id
     */
    String offer(String name, String version, Map<String, Artifact> artifacts) {
        String id = Integer.toString(actions.incrementAndGet());
        offer = new Offer(id, name, version, new LinkedHashMap<>(artifacts));
        return id;
    }

    /** Waits for the gateway to close the action; the offer is withdrawn then. */
    Feedback awaitClosed(String actionId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Feedback f = closed.poll(left, TimeUnit.NANOSECONDS);
            if (f != null && f.actionId().equals(actionId)) {
                return f;
            }
        }
        offer = null;
        throw new AssertionError("the gateway did not close action " + actionId + " within " + timeout);
    }

    /** @return the artifacts of an action the gateway downloaded, in order */
    List<String> fetched(String actionId) {
        return fetched.stream().filter(f -> f.startsWith(actionId + "/")).map(f -> f.substring(actionId.length() + 1))
                .toList();
    }

    /** Waits until the gateway's agent has polled at least once. */
    void awaitPoll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (polls.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway's agent never polled the stub within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    /** @return feedback closed since the last call (none is expected outside an offer) */
    List<Feedback> drainClosed() {
        List<Feedback> out = new ArrayList<>();
        closed.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String[] path = ex.getRequestURI().getPath().split("/");
            // /DEFAULT/controller/v1/<device>[/deploymentBase/<id>[/feedback]] or /artifacts/<id>/<file>
            if (path.length == 4 && "artifacts".equals(path[1])) {
                artifact(ex, path[2], path[3]);
            } else if (path.length == 5 && "controller".equals(path[2])) {
                polls.incrementAndGet();
                json(ex, base(path[4]));
            } else if (path.length == 7 && "deploymentBase".equals(path[5])) {
                json(ex, deployment(path[6]));
            } else if (path.length == 8 && "feedback".equals(path[7])) {
                feedback(ex, path[6]);
            } else {
                ex.sendResponseHeaders(404, -1);
            }
        } catch (RuntimeException e) {
            ex.sendResponseHeaders(500, -1);
        }
    }

    private ObjectNode base(String device) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("config").putObject("polling").put("sleep", "00:00:01");
        Offer o = offer;
        if (o != null) {
            root.putObject("_links").putObject("deploymentBase").put("href",
                    link("/DEFAULT/controller/v1/" + device + "/deploymentBase/" + o.actionId()));
        }
        return root;
    }

    private ObjectNode deployment(String actionId) {
        Offer o = offer;
        if (o == null || !o.actionId().equals(actionId)) {
            throw new IllegalStateException("no action " + actionId);
        }
        ObjectNode root = JSON.createObjectNode().put("id", actionId);
        ObjectNode chunk = root.putObject("deployment").put("download", "forced").put("update", "forced")
                .putArray("chunks").addObject().put("part", "os").put("name", o.name()).put("version", o.version());
        ArrayNode artifacts = chunk.putArray("artifacts");
        for (String file : o.artifacts().keySet()) {
            artifacts.addObject().put("filename", file).putObject("_links").putObject("download-http")
                    .put("href", link("/artifacts/" + actionId + "/" + file));
        }
        return root;
    }

    private void artifact(HttpExchange ex, String actionId, String file) throws IOException {
        fetched.add(actionId + "/" + file);
        Offer o = offer;
        Artifact a = o != null && o.actionId().equals(actionId) ? o.artifacts().get(file) : null;
        if (a == null) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            a.write(out);
        } catch (IOException e) {
            // The gateway hung up mid-body, as it must on endless data.
        }
    }

    private void feedback(HttpExchange ex, String actionId) throws IOException {
        JsonNode status = JSON.readTree(ex.getRequestBody().readNBytes(256 * 1024)).path("status");
        List<String> details = new ArrayList<>();
        status.path("details").forEach(d -> details.add(d.asText()));
        String execution = status.path("execution").asText();
        if ("closed".equals(execution)) {
            Offer o = offer;
            if (o != null && o.actionId().equals(actionId)) {
                offer = null;
            }
            closed.add(new Feedback(actionId, execution, status.path("result").path("finished").asText(), details));
        }
        ex.sendResponseHeaders(200, -1);
    }

    private String link(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static void json(HttpExchange ex, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/hal+json");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
