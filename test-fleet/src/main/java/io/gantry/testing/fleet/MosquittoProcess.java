package io.gantry.testing.fleet;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.PkiDirectory;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto ({@code /usr/sbin/mosquitto}, scripts/install-test-deps.sh) on loopback with the
 * configuration and ACL of docs/mqtt.md ("External broker"): the backend's server key, the PKI's
 * root as CA, the certificate's CN as user name, optionally a CRL. {@link #stop} and {@link #start}
 * again keep the port, so a test can take the broker away and bring it back.
 */
public final class MosquittoProcess implements AutoCloseable {
    /** The push identity's name ({@code PkiDirectory.issuePushIdentity}); the ACL knows it as {@code backend:gantry-push}. */
    public static final String PUSH_IDENTITY = "gantry-push";
    /** docs/mqtt.md's ACL. */
    public static final String ACL = """
            pattern read gantry/v1/devices/%u/cmd/#
            pattern read gantry/v1/fleet/cmd/#
            pattern write gantry/v1/devices/%u/status/#
            user backend:gantry-push
            topic write gantry/v1/devices/+/cmd/#
            topic write gantry/v1/fleet/cmd/#
            topic write gantry/v1/fleet/alerts
            topic read gantry/v1/devices/+/status/#
            """;
    private final Path dir;
    private final int port;
    private Process process;

    private MosquittoProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * Writes the configuration (with {@code crlPem} as {@code crlfile} unless {@code null}) into
     * {@code dir} for a free loopback port; does not start it.
     */
    public static MosquittoProcess configure(Path dir, PkiDirectory pki, String crlPem) throws Exception {
        Files.createDirectories(dir);
        ProtectedKeyStore server = pki.loadServer();
        PemCertificates.write(dir.resolve("broker.crt"), server.chain());
        Files.writeString(dir.resolve("broker.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(server.privateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.copy(pki.rootCaPem(), dir.resolve("root-ca.pem"));
        Files.writeString(dir.resolve("gantry.acl"), ACL);
        String crl = "";
        if (crlPem != null) {
            Files.writeString(dir.resolve("gantry.crl"), crlPem);
            crl = "crlfile " + dir.resolve("gantry.crl") + "\n";
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("mosquitto.conf"), """
                per_listener_settings false
                allow_anonymous false
                user root
                persistence false
                listener %d 127.0.0.1
                cafile %s
                certfile %s
                keyfile %s
                require_certificate true
                use_identity_as_username true
                %sacl_file %s
                log_dest stdout
                """.formatted(port, dir.resolve("root-ca.pem"), dir.resolve("broker.crt"), dir.resolve("broker.key"), crl,
                dir.resolve("gantry.acl")));
        return new MosquittoProcess(dir, port);
    }

    /** @return {@code ssl://127.0.0.1:<port>} */
    public String uri() {
        return "ssl://127.0.0.1:" + port;
    }

    /** @return its TCP port on 127.0.0.1 */
    public int port() {
        return port;
    }

    /** Starts it and waits until the port accepts; @throws AssertionError with its log if it does not */
    public MosquittoProcess start() throws Exception {
        Path log = dir.resolve("mosquitto.log");
        process = new ProcessBuilder("/usr/sbin/mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("mosquitto exited: " + Files.readString(log));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return this;
            } catch (IOException notYet) {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("mosquitto not listening: " + Files.readString(log));
    }

    /** Stops it (SIGTERM) and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
