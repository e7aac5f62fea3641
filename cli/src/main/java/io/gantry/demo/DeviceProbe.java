package io.gantry.demo;

import io.gantry.pki.PemCertificates;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Polls the device API as one device, with that device's own certificate: a fresh TLS session per call. */
final class DeviceProbe {
    private final URI backend;
    private final ProtectedKeyStore identity;
    private final Path rootCaPem;

    DeviceProbe(URI backend, ProtectedKeyStore identity, Path rootCaPem) {
        this.backend = backend;
        this.identity = identity;
        this.rootCaPem = rootCaPem;
    }

    /** @return the HTTP status of one poll */
    int poll(String controllerId) throws IOException, GeneralSecurityException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(backend.resolve("/DEFAULT/controller/v1/" + controllerId))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return client().send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** @return why a poll was refused (status or TLS failure), or null if it was served */
    String refusal(String controllerId) throws GeneralSecurityException, InterruptedException {
        try {
            int status = poll(controllerId);
            return status == 200 ? null : "HTTP " + status;
        } catch (IOException e) {
            return "TLS handshake refused: " + e.getMessage();
        }
    }

    private HttpClient client() throws GeneralSecurityException, IOException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity.keyStore(), identity.password());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(PemCertificates.trustStore(rootCaPem));
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
