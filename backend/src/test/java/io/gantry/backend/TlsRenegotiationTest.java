package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device port refuses TLS renegotiation (a client-initiated renegotiation costs the server a
 * full handshake for free, and mixes two identities on one connection). TLS 1.3 has no
 * renegotiation, so the client here forces TLS 1.2 and asks for a second handshake on a live
 * connection: the server must not carry on with it.
 */
class TlsRenegotiationTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        backend.pki.issueDevice("reneg");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void clientInitiatedRenegotiationOnTls12IsRefused() throws Exception {
        try (SSLSocket socket = tls12Socket(backend.pki.loadDevice("reneg"))) {
            socket.startHandshake();
            assertEquals("TLSv1.2", socket.getSession().getProtocol());
            assertTrue(poll(socket).startsWith("HTTP/1.1 200"), "the first request on the connection is served");
            String second;
            try {
                socket.startHandshake();
                second = poll(socket);
            } catch (IOException refused) {
                second = "refused: " + refused;
            }
            assertTrue(!second.startsWith("HTTP/1.1"), "after a renegotiation request nothing more is served: " + second);
        }
    }

    /** The same with the openssl command line: {@code R} on s_client's input asks for a renegotiation, then a poll follows. */
    @Test
    void opensslRenegotiationRequestOnTls12IsRefused() throws Exception {
        Path cert = tmp.resolve("reneg.pem");
        PemCertificates.write(cert, backend.pki.loadDevice("reneg").chain());
        Path key = tmp.resolve("reneg.key");
        Path store = backend.pki.deviceKeyStore("reneg");
        assertEquals(0, OpenSsl.run(tmp, "openssl", "pkcs12", "-in", store.toString(), "-nocerts", "-nodes", "-passin",
                "file:" + store + ".pass", "-out", key.toString()).exit());
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + backend.server.port(), "-tls1_2",
                "-cert", cert.toString(), "-key", key.toString(), "-CAfile", backend.pki.rootCaPem().toString())
                .redirectErrorStream(true).start();
        try {
            // One command per read: s_client takes a line starting with R as the command and drops the rest of that read.
            p.getOutputStream().write("R\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line = reader.readLine(); line != null && !line.contains("RENEGOTIATING"); line = reader.readLine()) {
                seen.append(line).append('\n');
            }
            seen.append("RENEGOTIATING\n");
            try {
                p.getOutputStream().write(("GET /DEFAULT/controller/v1/reneg HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                p.getOutputStream().flush();
            } catch (IOException closed) {
                seen.append("(s_client already gone: ").append(closed.getMessage()).append(")\n");
            }
            // The server closes the connection either way (refused renegotiation, or Connection: close), so s_client ends.
            String out = seen + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.contains("RENEGOTIATING"), out);
            assertTrue(!out.contains("HTTP/1.1 200"), "nothing is served after a renegotiation request: " + out);
        } finally {
            p.destroyForcibly();
        }
    }

    private static SSLSocket tls12Socket(ProtectedKeyStore identity) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity.keyStore(), identity.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(backend.pki.rootCaPem()));
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(backend.server.baseUri().getHost(), backend.server.port());
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** Sends one keep-alive poll and reads its answer: status line and headers, then the body by Content-Length; "EOF" if closed. */
    private static String poll(SSLSocket socket) throws IOException {
        socket.getOutputStream().write(("GET /DEFAULT/controller/v1/reneg HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return "EOF after " + head.size() + " bytes";
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return headers;
    }
}
