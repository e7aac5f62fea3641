package io.gantry.keystore.internal;

import io.gantry.testing.TestPki;
import java.net.InetAddress;
import java.security.cert.Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** A TLS 1.3 server on loopback that requires a client certificate and reports the one presented. */
final class ClientCertProbe {
    private ClientCertProbe() {
    }

    /** @return the certificate chain {@code client} presented in a full handshake */
    static Certificate[] presentedBy(SSLContext client, TestPki pki) throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (SSLServerSocket server = (SSLServerSocket) pki.serverContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            server.setEnabledProtocols(new String[] {"TLSv1.3"});
            Future<Certificate[]> peer = executor.submit(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    s.getOutputStream().write(42);
                    s.getOutputStream().flush();
                    return s.getSession().getPeerCertificates();
                }
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                if (socket.getInputStream().read() != 42) {
                    throw new IllegalStateException("server did not answer");
                }
            }
            return peer.get(10, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
    }
}
