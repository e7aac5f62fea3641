package io.gantry.backend;

import io.gantry.pki.ProtectedKeyStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Benchmark harness (not a test) of the backend's own handshake capacity: the backend runs alone in
 * a child JVM and the load comes from {@code handshake-load}, an OpenSSL client in C
 * ({@code backend/src/test/c/handshake-load.c}), so the clients take a small, measured share of the
 * CPU (docs/benchmarks.md, "Mutual-TLS handshakes", server with cheap clients).
 *
 * <p>Without arguments it runs, for every configuration and mode, a child JVM
 * ({@code ServerHandshakeBench serve <config>}) and the load generator against it, then prints the
 * table. The child installs the providers of {@link HandshakeBench#installProviders}, starts a
 * {@link BackendFixture}, issues the devices, writes their keys as PEM, connects once per device
 * (the registry imports them), prints {@code READY <port> <pid> <certdir>} and serves until its
 * standard input closes; then it prints the number of security events recorded.
 */
public final class ServerHandshakeBench {
    private ServerHandshakeBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("serve")) {
            serve(args[1]);
            return;
        }
        String loadgen = System.getProperty("bench.loadgen", "/tmp/hsbench/handshake-load");
        List<String> results = new ArrayList<>();
        for (String mode : System.getProperty("bench.modes", "full,full-request").split(",")) {
            for (String config : System.getProperty("bench.configs", "jdk,default,bc,bc-ec,conscrypt").split(",")) {
                results.add(config + " " + mode + " " + run(loadgen, config, mode));
            }
        }
        System.out.println();
        System.out.println("config mode median min max handshakes errors clientCpuMsPerHandshake serverCpuMsPerHandshake"
                + " securityEvents");
        results.forEach(System.out::println);
    }

    private static String run(String loadgen, String config, String mode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("bench.threads") != null) {
            cmd.add("-Dbench.threads=" + System.getProperty("bench.threads"));
        }
        cmd.addAll(List.of(ServerHandshakeBench.class.getName(), "serve", config));
        Process server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String[] ready = null;
            for (String line; ready == null && (line = out.readLine()) != null; ) {
                System.out.println(line);
                if (line.startsWith("READY ")) {
                    ready = line.split(" ");
                }
            }
            if (ready == null) {
                throw new IllegalStateException(config + ": the server did not start");
            }
            Process load = new ProcessBuilder(loadgen, "127.0.0.1", ready[1], ready[3], String.valueOf(HandshakeBench.THREADS),
                    String.valueOf(HandshakeBench.WARMUP_SECONDS), String.valueOf(HandshakeBench.ITERATIONS),
                    String.valueOf(HandshakeBench.SECONDS), mode, ready[2])
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String result = null;
            try (BufferedReader lo = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lo.readLine()) != null; ) {
                    System.out.println("# " + config + "/" + mode + " " + line);
                    if (line.startsWith("RESULT ")) {
                        result = line.substring("RESULT ".length());
                    }
                }
            }
            if (load.waitFor() != 0 || result == null) {
                throw new IllegalStateException(config + " " + mode + ": the load generator failed (exit " + load.exitValue() + ")");
            }
            server.getOutputStream().close();
            String events = "-";
            for (String line; (line = out.readLine()) != null; ) {
                System.out.println(line);
                if (line.startsWith("EVENTS ")) {
                    events = line.substring("EVENTS ".length());
                }
            }
            return result + " " + events;
        } finally {
            if (!server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroy();
            }
        }
    }

    private static void serve(String config) throws Exception {
        HandshakeBench.installProviders(config);
        Path dir = Files.createTempDirectory("gantry-handshake-serve");
        Path certs = Files.createDirectories(dir.resolve("clients"));
        try (BackendFixture backend = new BackendFixture(dir)) {
            System.out.println("# " + config + ": SSLContext from " + SSLContext.getInstance("TLS").getProvider()
                    + ", first providers " + Arrays.stream(Security.getProviders()).limit(3).map(Provider::getName).toList());
            for (int i = 0; i < HandshakeBench.THREADS; i++) {
                String id = String.format(Locale.ROOT, "bench-%02d", i);
                backend.pki.issueDevice(id);
                ProtectedKeyStore identity = backend.pki.loadDevice(id);
                // PKCS#8 (the key's own encoding): the traditional EC form BouncyCastle writes for it lacks the curve.
                writePem(certs.resolve(id + ".key"), List.of(new JcaPKCS8Generator(identity.privateKey(), null)));
                writePem(certs.resolve(id + ".crt"), new ArrayList<>(identity.chain()));
                // The registry imports the device from issued.log at its first connection, before the load.
                try {
                    new HandshakeClient(backend.server.baseUri(), id, identity, backend.pki.rootCaPem(), false).connectOnce(false);
                } catch (Exception e) {
                    System.out.println("# first connection of " + id + " failed: " + e);
                }
            }
            int before = HandshakeBench.failedHandshakeEvents(backend);
            System.out.println("READY " + backend.server.baseUri().getPort() + " " + ProcessHandle.current().pid() + " " + certs);
            System.out.flush();
            while (System.in.read() != -1) {
                // serve until the parent closes standard input
            }
            System.out.println("EVENTS " + (HandshakeBench.failedHandshakeEvents(backend) - before));
        }
    }

    private static void writePem(Path file, List<?> objects) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        }
        Files.writeString(file, text.toString());
    }
}
