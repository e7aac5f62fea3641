package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain-HTTP CRL/OCSP listener stays available while clients stall: gateways that check
 * revocation hard-fail would otherwise lock themselves out. Stalled clients (a request whose body
 * never comes, or whose headers never end) outnumber the listener's threads, and a normal OCSP
 * request and a CRL download are still answered; an oversized request gets 413 at once.
 */
class RevocationListenerSlowClientTest {
    /** More than the listener's 16 threads. */
    static final int STALLED = 48;
    /** A bound for "answered", far above a normal answer's milliseconds and far below the listener's idle timeout times the stalled clients. */
    static final Duration ANSWERED_WITHIN = Duration.ofSeconds(10);
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    final List<Socket> stalled = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp, c -> c, null);
        // One poll, so the registry has imported the device's certificate (OCSP then says GOOD, not UNKNOWN).
        assertEquals(200, BackendFixture.get(backend.device("checked"), backend.controller("checked")).statusCode());
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @AfterEach
    void closeStalled() throws IOException {
        for (Socket s : stalled) {
            s.close();
        }
    }

    @Test
    void stalledClientsDoNotStarveOcspOrCrl() throws Exception {
        URI base = backend.server.revocationBaseUri();
        for (int i = 0; i < STALLED; i++) {
            // Headers complete, body promised but never sent: the handler runs and waits for it.
            stall(base, "POST /ocsp HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\nContent-Length: 300\r\n\r\n0123");
            // Headers that never end.
            stall(base, "GET /crl/" + keyId() + ".crl HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(ANSWERED_WITHIN).build();
        HttpResponse<byte[]> ocsp = http.send(HttpRequest.newBuilder(base.resolve("/ocsp")).timeout(ANSWERED_WITHIN)
                .header("Content-Type", "application/ocsp-request").POST(HttpRequest.BodyPublishers.ofByteArray(ocspRequest()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ocsp.statusCode());
        OCSPResp resp = new OCSPResp(ocsp.body());
        assertEquals(OCSPResp.SUCCESSFUL, resp.getStatus());
        assertEquals(null, ((BasicOCSPResp) resp.getResponseObject()).getResponses()[0].getCertStatus(), "GOOD");
        HttpResponse<byte[]> crl = http.send(HttpRequest.newBuilder(backend.pki.revocationEndpoints().crl(keyId()))
                .timeout(ANSWERED_WITHIN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, crl.statusCode());
        assertEquals("application/pkix-crl", crl.headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void oversizedRequestsGetAClearErrorAtOnce() throws Exception {
        URI base = backend.server.revocationBaseUri();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            s.setSoTimeout((int) ANSWERED_WITHIN.toMillis());
            // Declares a megabyte and sends none of it: refused from the headers alone.
            s.getOutputStream().write(("POST /ocsp HTTP/1.1\r\nHost: x\r\nContent-Type: application/ocsp-request\r\n"
                    + "Content-Length: 1048576\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = new String(readHead(s.getInputStream()), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        }
        HttpResponse<String> longUri = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/ocsp/" + "A".repeat(64 * 1024))).timeout(ANSWERED_WITHIN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(longUri.statusCode() == 414 || longUri.statusCode() == 431, "status " + longUri.statusCode());
    }

    private void stall(URI base, String partial) throws IOException {
        Socket s = new Socket();
        stalled.add(s);
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        OutputStream out = s.getOutputStream();
        out.write(partial.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static byte[] readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String keyId() throws Exception {
        return io.gantry.pki.RevocationEndpoints.keyIdOf(backend.pki.loadIntermediate().chain().get(0));
    }

    private static byte[] ocspRequest() throws Exception {
        X509Certificate issuer = backend.pki.loadIntermediate().chain().get(0);
        X509Certificate device = backend.pki.loadDevice("checked").chain().get(0);
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), device.getSerialNumber());
        return new OCSPReqBuilder().addRequest(id).build().getEncoded();
    }
}
