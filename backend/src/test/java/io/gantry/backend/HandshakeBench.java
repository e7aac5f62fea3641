package io.gantry.backend;

import io.gantry.backend.tls.HttpsConnectors;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.conscrypt.Conscrypt;

/**
 * Benchmark harness (not a test) of full mutual-TLS handshakes per second against a real backend
 * ({@link BackendFixture}: fresh PKI, CRL/OCSP listener, certificate registry, OCSP stapling) with
 * 64 client threads in the same JVM (docs/benchmarks.md, "Mutual-TLS handshakes").
 *
 * <p>Without arguments it runs every configuration in its own child JVM, one after the other, and
 * prints the table. {@code HandshakeBench child <config> <mode>} runs one: config {@code jdk} (the
 * JDK's providers: the backend started with {@code gantry.tls.ec=jdk}), {@code default} (the backend
 * as shipped: {@link io.gantry.backend.tls.BouncyCastleEcProvider} first), {@code bc} (BouncyCastle
 * inserted as the first JCA provider), {@code bc-ec} (BouncyCastle second, after SUN: EC from
 * BouncyCastle, certificate parsing from the JDK), {@code bcjsse} (as {@code bc-ec}, and BCJSSE as
 * the TLS provider of server and clients), {@code conscrypt} (Conscrypt, BoringSSL, first: TLS and
 * crypto of server and clients); every provider choice is JVM-wide, so it applies to the clients of
 * the same JVM too; mode {@code full},
 * {@code full-request} (plus one {@code GET /DEFAULT/controller/v1/<id>}) or {@code resumed}.
 * Security providers are per JVM, hence one child per configuration.
 */
public final class HandshakeBench {
    static final int THREADS = Integer.getInteger("bench.threads", 64);
    static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 10);
    static final int ITERATIONS = Integer.getInteger("bench.iterations", 5);
    static final int SECONDS = Integer.getInteger("bench.seconds", 10);

    private HandshakeBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("child")) {
            child(args[1], args[2]);
            return;
        }
        List<String[]> runs = new ArrayList<>();
        String modes = System.getProperty("bench.modes", "full,full-request");
        for (String mode : modes.split(",")) {
            for (String config : System.getProperty("bench.configs", "jdk,default,bc,bc-ec,bcjsse,conscrypt").split(",")) {
                runs.add(new String[] {config, mode});
            }
        }
        if (Boolean.parseBoolean(System.getProperty("bench.resumed", "true"))) {
            runs.add(new String[] {"jdk", "resumed"});
        }
        List<String> results = new ArrayList<>();
        for (String[] run : runs) {
            results.add(runChild(run[0], run[1]));
        }
        System.out.println();
        System.out.println("config mode median min max full/total errors securityEvents contextMicros samples firstError");
        results.forEach(System.out::println);
    }

    private static String runChild(String config, String mode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path")));
        for (String p : List.of("bench.threads", "bench.warmup", "bench.iterations", "bench.seconds")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.addAll(List.of(HandshakeBench.class.getName(), "child", config, mode));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        AtomicReference<String> result = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    System.out.println(line);
                    if (line.startsWith("RESULT ")) {
                        result.set(line.substring("RESULT ".length()));
                    }
                }
            } catch (java.io.IOException e) {
                System.out.println("# output of " + config + "/" + mode + " lost: " + e);
            }
        }, "bench-child-output");
        reader.start();
        // A stuck child (Conscrypt's client socket once spun forever in a read) fails its configuration, not the run.
        long limit = WARMUP_SECONDS + (long) ITERATIONS * SECONDS + 300;
        if (!p.waitFor(limit, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            reader.join();
            return config + " " + mode + " FAILED 0/0 - - - - timeout_after_" + limit + "s";
        }
        reader.join();
        if (p.exitValue() != 0 || result.get() == null) {
            return config + " " + mode + " FAILED 0/0 - - - - exit_" + p.exitValue();
        }
        return result.get();
    }

    private static void child(String config, String mode) throws Exception {
        installProviders(config);
        boolean request = mode.equals("full-request");
        boolean resume = mode.equals("resumed");
        Path dir = Files.createTempDirectory("gantry-handshake-bench");
        try (BackendFixture backend = new BackendFixture(dir)) {
            System.out.println("# " + config + "/" + mode + ": SSLContext from " + SSLContext.getInstance("TLS").getProvider()
                    + ", first providers " + Arrays.stream(Security.getProviders()).limit(3).map(Provider::getName).toList());
            List<HandshakeClient> clients = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                String id = String.format(Locale.ROOT, "bench-%02d", i);
                backend.pki.issueDevice(id);
                clients.add(new HandshakeClient(backend.server.baseUri(), id, backend.pki.loadDevice(id), backend.pki.rootCaPem(),
                        request));
            }
            double contextMicros = contextCost(clients.get(0));
            // One connection per device before the load: the registry learns of the new devices (issued.log) here,
            // so no handshake of the measured load is refused as CERT_UNKNOWN.
            for (HandshakeClient client : clients) {
                try {
                    client.connectOnce(false);
                } catch (Exception e) {
                    System.out.println("# first connection failed: " + e);
                }
            }
            int eventsBefore = failedHandshakeEvents(backend);
            AtomicLong done = new AtomicLong();
            AtomicLong full = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> firstError = new AtomicReference<>();
            CountDownLatch stopped = new CountDownLatch(THREADS);
            for (HandshakeClient client : clients) {
                Thread t = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            try {
                                if (client.connectOnce(resume)) {
                                    full.incrementAndGet();
                                }
                                done.incrementAndGet();
                            } catch (Exception e) {
                                if (errors.incrementAndGet() <= 3) {
                                    System.out.println("# error: " + e);
                                    firstError.compareAndSet(null, String.valueOf(e.getMessage()).replace(' ', '_'));
                                }
                            }
                        }
                    } finally {
                        stopped.countDown();
                    }
                }, "bench-client");
                t.setDaemon(true);
                t.start();
            }
            Thread.sleep(WARMUP_SECONDS * 1000L);
            if (done.get() == 0) {
                stop.set(true);
                stopped.await();
                System.out.printf(Locale.ROOT, "RESULT %s %s FAILED 0/0 %d %d %.0f - %s%n", config, mode, errors.get(),
                        failedHandshakeEvents(backend) - eventsBefore, contextMicros, firstError.get());
                return;
            }
            double[] rates = new double[ITERATIONS];
            long fullStart = full.get();
            long doneStart = done.get();
            long errorsStart = errors.get();
            for (int i = 0; i < ITERATIONS; i++) {
                long n0 = done.get();
                long t0 = System.nanoTime();
                Thread.sleep(SECONDS * 1000L);
                rates[i] = (done.get() - n0) / ((System.nanoTime() - t0) / 1e9);
                System.out.printf(Locale.ROOT, "# %s/%s iteration %d: %.1f handshakes/s%n", config, mode, i + 1, rates[i]);
            }
            long measured = done.get() - doneStart;
            long measuredFull = full.get() - fullStart;
            long measuredErrors = errors.get() - errorsStart;
            stop.set(true);
            stopped.await();
            int failedEvents = failedHandshakeEvents(backend);
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "RESULT %s %s %.1f %.1f %.1f %d/%d %d %d %.0f %s %s%n", config, mode,
                    sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], measuredFull, measured, measuredErrors,
                    failedEvents - eventsBefore, contextMicros, Arrays.toString(rates).replace(" ", ""),
                    firstError.get() == null ? "-" : firstError.get());
        }
    }

    /** Sets this JVM's security providers for {@code config} (before any TLS class is used). */
    static void installProviders(String config) {
        // Every configuration but "default" starts from the JDK's providers: the backend does not install its own.
        System.setProperty(HttpsConnectors.EC_PROPERTY, config.equals("default") ? "bc" : "jdk");
        switch (config) {
            case "jdk" -> { }
            case "bc" -> Security.insertProviderAt(new BouncyCastleProvider(), 1);
            // After SUN (X.509 certificate parsing stays with the JDK), before SunEC (EC keys, ECDSA, ECDH from BC).
            case "bc-ec" -> Security.insertProviderAt(new BouncyCastleProvider(), 2);
            case "bcjsse" -> {
                Provider bc = new BouncyCastleProvider();
                Security.insertProviderAt(bc, 2);
                // Before SunJSSE: Jetty's SslContextFactory (no provider set) and the clients take SSLContext from it.
                Security.insertProviderAt(new BouncyCastleJsseProvider(bc), 1);
                // Jetty takes KeyManagerFactory.getDefaultAlgorithm() ("SunX509"); with it BCJSSE's server selected no
                // credential ("did not select any credentials"). BCJSSE's own PKIX key manager does.
                Security.setProperty("ssl.KeyManagerFactory.algorithm", "PKIX");
            }
            // The backend as shipped: HttpsConnectors installs BouncyCastleEcProvider first (BouncyCastle's ECDSA, EC/X25519
            // key generation, agreement and key factories; the rest stays the JDK's) when the server starts.
            case "default" -> { }
            // BoringSSL through Conscrypt's JSSE provider, first: SSLContext (server and clients) and every JCA service it
            // offers (EC, ECDSA, ECDH, X.509 parsing, AES-GCM, SHA-2).
            case "conscrypt" -> Security.insertProviderAt(Conscrypt.newProvider(), 1);
            default -> throw new IllegalArgumentException("config " + config);
        }
    }

    /** Mean cost of creating and initialising one client SSLContext, single thread, before the load starts. */
    private static double contextCost(HandshakeClient client) throws Exception {
        for (int i = 0; i < 2000; i++) {
            client.newContext();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            client.newContext();
        }
        return (System.nanoTime() - t0) / 2000 / 1e3;
    }

    /** Security events recorded during the run (every failed handshake is one), -1 if they cannot be read. */
    static int failedHandshakeEvents(BackendFixture backend) {
        try {
            return securityEvents(backend);
        } catch (Exception e) {
            System.out.println("# security events not readable: " + e);
            return -1;
        }
    }

    private static int securityEvents(BackendFixture backend) throws Exception {
        HttpResponse<String> r = BackendFixture.get(backend.operator("bench-operator"),
                backend.uri("/rest/v1/security-events?size=500"));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("security events: " + r.statusCode());
        }
        return BackendFixture.JSON.readTree(r.body()).size();
    }
}
