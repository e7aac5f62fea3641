package io.gantry.backend;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One device of {@link HandshakeBench}: connects to the backend again and again as {@code deviceId}.
 * A handshake counts as full only if this client's trust manager checked the server chain and its
 * key manager was asked for the client certificate during it; neither happens in a TLS 1.3 PSK
 * resumption, so the counters prove which kind each handshake was.
 */
final class HandshakeClient {
    private final InetSocketAddress server;
    private final String host;
    private final String deviceId;
    private final CountingKeyManager keys;
    private final CountingTrustManager trust;
    private final boolean request;
    private SSLContext shared;

    HandshakeClient(URI backend, String deviceId, ProtectedKeyStore identity, Path rootCaPem, boolean request) throws Exception {
        this.server = new InetSocketAddress(backend.getHost(), backend.getPort());
        this.host = backend.getHost();
        this.deviceId = deviceId;
        this.request = request;
        // The JVM's default key manager ("SunX509", or "PKIX" where the bcjsse configuration sets it): under Conscrypt
        // the JDK's "PKIX" key manager offered no certificate (it found no permitted signature algorithm in
        // Conscrypt's handshake session), and the server ended the handshake with certificate_required.
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(identity.keyStore(), identity.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(rootCaPem));
        this.keys = new CountingKeyManager((X509ExtendedKeyManager) kmf.getKeyManagers()[0]);
        this.trust = new CountingTrustManager((X509ExtendedTrustManager) tmf.getTrustManagers()[0]);
    }

    /** @return a new context (its own empty session cache: nothing to resume from) */
    SSLContext newContext() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(new javax.net.ssl.KeyManager[] {keys}, new javax.net.ssl.TrustManager[] {trust}, null);
        return ctx;
    }

    /**
     * One connection: TCP (TCP_NODELAY), TLS 1.3 handshake, then either a close_notify exchange
     * (the server's answering close_notify shows it processed the client's whole flight, certificate
     * check included) or {@code GET /DEFAULT/controller/v1/<id>} and its status line.
     *
     * @param resume reuse one context per client (TLS 1.3 resumption) instead of a fresh one
     * @return true if the handshake was full
     * @throws IOException if the connection, the handshake or the answer failed
     */
    boolean connectOnce(boolean resume) throws Exception {
        SSLContext ctx;
        if (resume) {
            if (shared == null) {
                shared = newContext();
            }
            ctx = shared;
        } else {
            ctx = newContext();
        }
        long checksBefore = trust.serverChecks.get();
        long choicesBefore = keys.clientChoices.get();
        Socket tcp = new Socket();
        tcp.setTcpNoDelay(true);
        tcp.connect(server, 10_000);
        try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(tcp, host, server.getPort(), true)) {
            tls.setSoTimeout(10_000);
            tls.setEnabledProtocols(new String[] {"TLSv1.3"});
            tls.startHandshake();
            if (!"TLSv1.3".equals(tls.getSession().getProtocol())) {
                throw new IOException("negotiated " + tls.getSession().getProtocol());
            }
            InputStream in = tls.getInputStream();
            if (request) {
                tls.getOutputStream().write(("GET /DEFAULT/controller/v1/" + deviceId + " HTTP/1.1\r\nHost: " + host
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                tls.getOutputStream().flush();
                byte[] status = in.readNBytes(12);
                if (!new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 200")) {
                    throw new IOException("answer: " + new String(status, StandardCharsets.US_ASCII));
                }
            } else {
                tls.shutdownOutput();
                if (in.read() != -1) {
                    throw new IOException("server sent data instead of close_notify");
                }
            }
        }
        boolean full = trust.serverChecks.get() > checksBefore;
        if (full != keys.clientChoices.get() > choicesBefore) {
            throw new IOException("server chain checked but no client certificate requested, or the reverse");
        }
        return full;
    }

    /** Counts {@code chooseClientAlias}: called only when the server asks for a certificate in a full handshake. */
    private static final class CountingKeyManager extends X509ExtendedKeyManager {
        final AtomicLong clientChoices = new AtomicLong();
        private final X509ExtendedKeyManager delegate;

        CountingKeyManager(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            clientChoices.incrementAndGet();
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            clientChoices.incrementAndGet();
            return delegate.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    /** Counts server-chain checks: a resumed handshake carries no certificate and checks nothing. */
    private static final class CountingTrustManager extends X509ExtendedTrustManager {
        final AtomicLong serverChecks = new AtomicLong();
        private final X509ExtendedTrustManager delegate;

        CountingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, socket);
            serverChecks.incrementAndGet();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkServerTrusted(chain, authType, engine);
            serverChecks.incrementAndGet();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
            serverChecks.incrementAndGet();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client-side trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client-side trust manager");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client-side trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
