package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.gantry.api.tls.BackendChainCode;
import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.tls.BackendTlsPolicySource;
import io.gantry.api.tls.RevocationPolicy;
import io.gantry.keystore.internal.StapleFixture.Answer;
import io.gantry.testing.TestPki;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real TLS on loopback: a JSSE server staples what a loopback OCSP responder (RFC 6960 over HTTP)
 * answers for its certificate, as the backend does; the gateway's trust manager judges the staple
 * JSSE hands it. The responder answers once: the server's fetch gets it, so a gateway that fetched
 * by itself instead of reading the staple would get no answer and fail under hard-fail.
 */
class BackendTrustManagerHandshakeTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private StapleFixture f;
    private HttpServer responder;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile byte[] answer;
    private X509Certificate server;
    private KeyPair serverKey;

    @BeforeAll
    static void serverStaples() {
        // Read by each new SSLContext (the backend sets the same in BackendServer).
        System.setProperty("jdk.tls.server.enableStatusRequestExtension", "true");
    }

    @BeforeEach
    void setUp() throws Exception {
        f = new StapleFixture();
        responder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        responder.createContext("/ocsp", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = requests.getAndIncrement() == 0 ? answer : null;
            if (body == null) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "application/ocsp-response");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        responder.start();
        serverKey = TestPki.p256();
        server = f.serverWithOcspUrl(serverKey, "http://127.0.0.1:" + responder.getAddress().getPort() + "/ocsp");
    }

    @AfterEach
    void tearDown() {
        responder.stop(0);
        pool.shutdownNow();
    }

    private Optional<BackendTlsPolicy> pinned(String pin, RevocationPolicy p) {
        return Optional.of(new BackendTlsPolicy(Set.of(pin), p));
    }

    /** Runs one handshake against a stapling JSSE server; returns the client's failure or null. */
    private Exception handshake(Optional<BackendTlsPolicy> policy) throws Exception {
        return handshake(policy, "TLSv1.3");
    }

    private Exception handshake(Optional<BackendTlsPolicy> policy, String protocol) throws Exception {
        return handshake(() -> () -> policy, protocol);
    }

    private Exception handshake(Supplier<BackendTlsPolicySource> source, String protocol) throws Exception {
        KeyStore serverStore = KeyStore.getInstance("PKCS12");
        serverStore.load(null, null);
        serverStore.setKeyEntry("server", serverKey.getPrivate(), "pw".toCharArray(), new Certificate[] {server, f.pki.issuer});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(serverStore, "pw".toCharArray());
        SSLContext serverCtx = SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        SSLContext clientCtx = SSLContext.getInstance("TLS");
        clientCtx.init(null, BackendTrustManager.forBackend(f.anchors, source, Clock.systemUTC()), null);
        try (SSLServerSocket listener = (SSLServerSocket) serverCtx.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<?> accepted = pool.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                } catch (Exception refusedByClient) {
                    // the client's verdict is what the test asserts
                }
                return null;
            });
            try (SSLSocket client = (SSLSocket) clientCtx.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.setEnabledProtocols(new String[] {protocol});
                client.startHandshake();
                assertEquals(1, client.getInputStream().read());
                return null;
            } catch (SSLHandshakeException e) {
                return e;
            } finally {
                accepted.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static BackendChainCode code(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BackendChainRejectedException r) {
                return r.code();
            }
        }
        throw new AssertionError("no policy rejection in " + e, e);
    }

    @Test
    void goodStapleFromTheServerSatisfiesHardFail() throws Exception {
        answer = f.staple(server, Answer.GOOD, Instant.now().minusSeconds(60), Duration.ofHours(4));
        assertEquals(null, handshake(pinned(BackendChainCheck.spkiSha256(f.pki.root), RevocationPolicy.HARD_FAIL)));
        assertEquals(1, requests.get(), "only the server asked the responder");
    }

    @Test
    void goodStapleInTls12CertificateStatusSatisfiesHardFail() throws Exception {
        // TLS 1.2 carries the staple in its own CertificateStatus message; JSSE defers the trust check until it arrived.
        answer = f.staple(server, Answer.GOOD, Instant.now().minusSeconds(60), Duration.ofHours(4));
        assertEquals(null, handshake(pinned(BackendChainCheck.spkiSha256(f.pki.root), RevocationPolicy.HARD_FAIL), "TLSv1.2"));
        assertEquals(1, requests.get(), "only the server asked the responder");
    }

    @Test
    void withoutAPolicySourceTheBackendIsRefusedEvenWithAGoodStaple() throws Exception {
        answer = f.staple(server, Answer.GOOD, Instant.now().minusSeconds(60), Duration.ofHours(4));
        assertEquals(BackendChainCode.NO_TRUST_POLICY, code(handshake(() -> null, "TLSv1.3")));
    }

    @Test
    void revokedStapleFromTheServerIsRefused() throws Exception {
        answer = f.staple(server, Answer.REVOKED, Instant.now().minusSeconds(60), Duration.ofHours(4));
        assertEquals(BackendChainCode.REVOKED, code(handshake(pinned(BackendChainCheck.spkiSha256(f.pki.root), RevocationPolicy.SOFT_FAIL))));
    }

    @Test
    void chainOutsideThePinsIsRefusedAtTheHandshake() throws Exception {
        answer = f.staple(server, Answer.GOOD, Instant.now().minusSeconds(60), Duration.ofHours(4));
        Exception e = handshake(pinned(BackendChainCheck.spkiSha256(new TestPki().root), RevocationPolicy.HARD_FAIL));
        assertEquals(BackendChainCode.PIN_MISMATCH, code(e));
        assertTrue(e.getMessage().contains("PIN_MISMATCH"), e.getMessage());
    }

    @Test
    void noStapleAndNoAnswerIsRefusedUnderHardFailAndAcceptedUnderSoftFail() throws Exception {
        answer = null; // the responder fails: the server has nothing to staple, and a fetch gets nothing
        assertEquals(BackendChainCode.NO_REVOCATION_STATUS,
                code(handshake(pinned(BackendChainCheck.spkiSha256(f.pki.root), RevocationPolicy.HARD_FAIL))));
        assertEquals(null, handshake(pinned(BackendChainCheck.spkiSha256(f.pki.root), RevocationPolicy.SOFT_FAIL)));
    }
}
