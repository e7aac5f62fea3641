package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gantry.api.keystore.PendingRenewal;
import io.gantry.testing.TestClock;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a renewal, a new TLS connection presents the new certificate; no restart in between. */
class FileKeyStoreTlsSwapTest {
    @TempDir
    Path dir;
    private final ExecutorService server = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void newConnectionsPresentTheRenewedCertificate() throws Exception {
        Instant now = Instant.now();
        FileIdentityFixture fx = new FileIdentityFixture(dir, now);
        FileKeyStore identity = new FileKeyStore(fx.config(), new TestClock(now), new Pkcs12Swap(fx.p12));
        identity.tlsPolicies = Optional::empty; // a running verifier whose trust root has no tls object
        SSLContext serverTls = fx.pki.serverContext();
        assertEquals(fx.device, clientCertificateSeenByServer(serverTls, identity.sslContext()));

        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> issued = fx.issue(FileIdentityFixture.SUBJECT, pending.publicKey(), now);
        identity.completeRenewal(pending, issued);

        assertEquals(issued.get(0), clientCertificateSeenByServer(serverTls, identity.sslContext()));
    }

    private X509Certificate clientCertificateSeenByServer(SSLContext serverTls, SSLContext clientTls) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) serverTls.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            Future<Certificate> seen = server.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    Certificate peer = s.getSession().getPeerCertificates()[0];
                    s.getOutputStream().write(1);
                    return peer;
                }
            });
            try (SSLSocket client = (SSLSocket) clientTls.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.startHandshake();
                client.getInputStream().read();
            }
            return (X509Certificate) seen.get(20, TimeUnit.SECONDS);
        }
    }
}
