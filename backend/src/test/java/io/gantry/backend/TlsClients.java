package io.gantry.backend;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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
