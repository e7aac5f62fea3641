package io.gantry.backend;

import io.gantry.backend.config.BackendConfig;
import io.gantry.backend.config.DatabaseSettings;
import io.gantry.backend.config.ServiceSettings;
import io.gantry.backend.est.EnrollmentConfig;
import io.gantry.backend.mqtt.MqttBrokerConfig;
import io.gantry.pki.PkiDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A backend node in a JVM of its own, on a given data folder, PKI, release trust root and
 * PostgreSQL database, so a test can kill it for real ({@link #kill}: SIGKILL, no shutdown hook,
 * no connection closed politely). The child prints {@value #READY} and its base URI once it
 * listens, writes its log to a file, and stops by itself when its standard input closes (the test
 * JVM ended), so it never outlives the test run.
 */
final class BackendNodeProcess implements AutoCloseable {
    static final String READY = "GANTRY-NODE-READY ";
    static final String MQTT = "GANTRY-NODE-MQTT ";
    private final Process process;
    private final URI baseUri;
    private final String mqttUri;

    private BackendNodeProcess(Process process, URI baseUri, String mqttUri) {
        this.process = process;
        this.baseUri = baseUri;
        this.mqttUri = mqttUri;
    }

    /** Starts a node and waits until it listens; @throws IOException with its log if it does not come up */
    static BackendNodeProcess start(Path data, Path pki, Path trustRoot, DatabaseSettings db, Path log) throws Exception {
        return start(data, pki, trustRoot, db, log, false);
    }

    /** As {@link #start(Path, Path, Path, DatabaseSettings, Path)}, with its embedded MQTT broker on a free port if {@code mqtt} */
    static BackendNodeProcess start(Path data, Path pki, Path trustRoot, DatabaseSettings db, Path log, boolean mqtt)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BackendNodeProcess.class.getName(), data.toString(), pki.toString(), trustRoot.toString(), db.jdbcUrl(),
                db.user(), db.password(), Boolean.toString(mqtt))).redirectErrorStream(true).start();
        CompletableFuture<URI> ready = new CompletableFuture<>();
        CompletableFuture<String> broker = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.println(line);
                    if (line.startsWith(MQTT)) {
                        broker.complete(line.substring(MQTT.length()).trim());
                    }
                    if (line.startsWith(READY)) {
                        ready.complete(URI.create(line.substring(READY.length()).trim()));
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("node exited before it was ready"));
        }, "backend-node-log");
        pump.setDaemon(true);
        pump.start();
        try {
            URI base = ready.get(120, TimeUnit.SECONDS);
            return new BackendNodeProcess(p, base, mqtt ? broker.getNow(null) : null);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IOException("backend node did not start; its log:\n" + Files.readString(log), e);
        }
    }

    /** @return {@code ssl://host:port} of its embedded MQTT broker, {@code null} when it runs none */
    String mqttUri() {
        return mqttUri;
    }

    URI uri(String path) {
        return baseUri.resolve(path);
    }

    URI controller(String id) {
        return uri("/DEFAULT/controller/v1/" + id);
    }

    /** SIGKILL; @return the exit status (137 for a kill) */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("backend node survived SIGKILL");
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The child: {@code <data> <pki> <trust-root> <jdbc-url> <user> <password> [<mqtt: true|false>]}. */
    public static void main(String[] args) throws Exception {
        Clock clock = Clock.systemUTC();
        PkiDirectory pki = PkiDirectory.open(Path.of(args[1]), clock);
        BackendConfig config = BackendConfig.fromPki(Path.of(args[0]), pki, Path.of(args[2]))
                .withPollingSleep(Duration.ofSeconds(5))
                .withDatabase(DatabaseSettings.postgresql(args[3], args[4], args[5]));
        boolean mqtt = args.length > 6 && Boolean.parseBoolean(args[6]);
        BackendServer server = BackendServer.start(config, ServiceSettings.DEFAULT, EnrollmentConfig.fromPki(pki), null,
                mqtt ? MqttBrokerConfig.on("127.0.0.1", 0) : MqttBrokerConfig.OFF, clock);
        if (mqtt) {
            System.out.println(MQTT + server.mqttBroker().orElseThrow().uri());
        }
        System.out.println(READY + server.baseUri());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Runs until the test kills it, or its standard input closes.
        }
        server.close();
        System.exit(0);
    }
}
