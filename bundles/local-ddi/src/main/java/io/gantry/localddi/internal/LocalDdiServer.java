package io.gantry.localddi.internal;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The local endpoint's HTTPS listener (the JDK's {@code com.sun.net.httpserver}, exported by the
 * system bundle): mutual TLS 1.2/1.3, the server identity from a PKCS#12 file issued by a
 * gateway-local CA the devices pin, client certificates required and validated (PKIX) against the
 * configured device CA. Revocation is checked per request by {@link DdiHandler} ({@link DeviceCrlCache}),
 * so a kept-alive connection of a device revoked since its handshake is refused too.
 */
final class LocalDdiServer implements AutoCloseable {
    /** Request threads: a handful of devices poll; downloads are the long requests. */
    static final int THREADS = 4;
    private final HttpsServer server;
    private final ExecutorService executor;

    private LocalDdiServer(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static LocalDdiServer start(InetSocketAddress address, SSLContext tls, HttpHandler handler) throws IOException {
        HttpsServer server = HttpsServer.create(address, 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "gantry-local-ddi-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return new LocalDdiServer(server, executor);
    }

    /** @return the CA certificates in a PEM file (the device CAs) */
    static List<X509Certificate> readCertificates(Path pem) throws IOException, GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(pem)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException("no CA certificate in " + pem);
        }
        return List.copyOf(out);
    }

    /** @return the TLS context: the server identity and the device CAs */
    static SSLContext tls(Path keyStore, Path passwordFile, List<X509Certificate> deviceCas) throws IOException, GeneralSecurityException {
        char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        KeyStore identity = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            identity.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(identity, password);
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int i = 0;
        for (X509Certificate c : deviceCas) {
            anchors.setCertificateEntry("device-ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /** @return the bound address (the port when 0 was asked) */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
