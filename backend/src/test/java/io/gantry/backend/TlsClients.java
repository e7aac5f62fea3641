package io.gantry.backend;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** java.net.http clients for tests: trust the root, present a client key store (or none). */
final class TlsClients {
    private TlsClients() {
    }

    static HttpClient withCertificate(ProtectedKeyStore identity, Path rootCaPem) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity.keyStore(), identity.password());
        return client(sslContext(kmf, rootCaPem));
    }

    static HttpClient withoutCertificate(Path rootCaPem) throws Exception {
        return client(sslContext(null, rootCaPem));
    }

    /**
     * Opens exactly one TLS connection (HttpClient may retry a failed one), presenting
     * {@code identity} (none if null), sends a request and reads.
     *
     * @return the first byte of the answer, or -1 if the server closed the connection
     * @throws IOException if the server refused the handshake with an alert
     */
    static int oneConnection(URI server, ProtectedKeyStore identity, Path rootCaPem) throws Exception {
        KeyManagerFactory kmf = null;
        if (identity != null) {
            kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(identity.keyStore(), identity.password());
        }
        try (SSLSocket socket = (SSLSocket) sslContext(kmf, rootCaPem).getSocketFactory()
                .createSocket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write(("GET /rest/v1/releases HTTP/1.1\r\nHost: " + server.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return socket.getInputStream().read();
        }
    }

    private static SSLContext sslContext(KeyManagerFactory kmf, Path rootCaPem) throws Exception {
        KeyStore trust = PemCertificates.trustStore(rootCaPem);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static HttpClient client(SSLContext ctx) {
        return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }
}
