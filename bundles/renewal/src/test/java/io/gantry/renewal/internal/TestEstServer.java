package io.gantry.renewal.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.gantry.testing.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The edge of the renewal unit tests: an RFC 7030 server on loopback (JDK HttpsServer, client
 * certificate required) that answers {@code simplereenroll} with a real BouncyCastle certs-only
 * PKCS#7, as the backend's EST endpoint does, or with the failure a test selects.
 */
final class TestEstServer implements AutoCloseable {
    /** What {@code simplereenroll} answers. */
    enum Mode { ISSUE, ISSUE_LEAF_ONLY, ISSUE_FOR_OTHER_KEY, RETRY_AFTER_120, SERVER_ERROR, WRONG_CONTENT_TYPE }

    private final HttpsServer server;
    volatile Mode mode = Mode.ISSUE;
    volatile TestPki issuing;
    final List<X509Certificate> clientCertificates = new CopyOnWriteArrayList<>();
    final List<String> configDataBodies = new CopyOnWriteArrayList<>();

    TestEstServer(TestPki ca, boolean configDataEndpoint) throws Exception {
        this.issuing = ca;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        SSLContext tls = ca.serverContext();
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/.well-known/est/simplereenroll", this::reenroll);
        server.createContext("/.well-known/est/cacerts", ex -> answer(ex, 200, "application/pkcs7-mime",
                certsOnly(List.of(issuing.issuer, issuing.root))));
        if (configDataEndpoint) {
            server.createContext("/DEFAULT/controller/v1/", ex -> {
                configDataBodies.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " "
                        + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                answer(ex, 200, "application/json", new byte[0]);
            });
        }
        server.start();
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    private void reenroll(HttpExchange ex) throws IOException {
        X509Certificate client = (X509Certificate) ((HttpsExchange) ex).getSSLSession().getPeerCertificates()[0];
        clientCertificates.add(client);
        byte[] body = ex.getRequestBody().readAllBytes();
        try {
            JcaPKCS10CertificationRequest csr = new JcaPKCS10CertificationRequest(Base64.getMimeDecoder().decode(body));
            if (!"application/pkcs10".equals(ex.getRequestHeaders().getFirst("Content-Type"))
                    || !csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getPublicKey()))
                    || !new X500Principal(csr.getSubject().getEncoded()).equals(client.getSubjectX500Principal())) {
                answer(ex, 400, "text/plain", "bad request".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Instant now = Instant.now();
            TestPki ca = issuing;
            switch (mode) {
                case RETRY_AFTER_120 -> {
                    ex.getResponseHeaders().add("Retry-After", "120");
                    answer(ex, 202, "text/plain", new byte[0]);
                }
                case SERVER_ERROR -> answer(ex, 500, "application/json", "{\"code\":\"CA_DOWN\"}".getBytes(StandardCharsets.UTF_8));
                case WRONG_CONTENT_TYPE -> answer(ex, 200, "text/html", "<html/>".getBytes(StandardCharsets.UTF_8));
                default -> {
                    KeyPair other = TestPki.p256();
                    X509Certificate issued = ca.device(csr.getSubject(),
                            mode == Mode.ISSUE_FOR_OTHER_KEY ? other.getPublic() : csr.getPublicKey(),
                            now.minusSeconds(60), now.plus(Duration.ofDays(5 * 365)));
                    List<X509Certificate> certs = mode == Mode.ISSUE_LEAF_ONLY ? List.of(issued) : List.of(issued, ca.issuer);
                    answer(ex, 200, "application/pkcs7-mime; smime-type=certs-only", certsOnly(certs));
                }
            }
        } catch (Exception e) {
            answer(ex, 500, "text/plain", e.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] certsOnly(List<X509Certificate> certs) {
        try {
            return TestPki.certsOnly(certs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
