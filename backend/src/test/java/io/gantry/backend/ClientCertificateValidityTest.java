package io.gantry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.IssuedCredential;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates from the right CA, known to the registry, but outside their validity: refused in
 * the handshake (THREATS.md, certificates: expired, not-yet-valid). The control, issued by the same
 * CA at the right time, is served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCertificateValidityTest {
    @TempDir
    static Path dir;
    BackendFixture b;

    @BeforeAll
    void start() throws Exception {
        b = new BackendFixture(dir);
    }

    @AfterAll
    void stop() {
        b.close();
    }

    /** Issues a device certificate from the real intermediate as if the CA's clock were {@code shift} away. */
    HttpClient deviceIssuedAt(String id, Duration shift, Duration validity) throws Exception {
        ProtectedKeyStore intermediate = b.pki.loadIntermediate();
        CertificateAuthority ca = new CertificateAuthority(intermediate.privateKey(), intermediate.chain().get(0),
                Clock.offset(Clock.systemUTC(), shift), b.pki.revocationEndpoints(), b.pki.issuanceLog());
        IssuedCredential credential = ca.issueDevice(id, validity);
        Path store = dir.resolve(id + ".p12");
        Pkcs12Files.write(store, credential);
        return TlsClients.withCertificate(Pkcs12Files.load(store), b.pki.rootCaPem());
    }

    @Test
    void aCurrentCertificateFromTheSameCaIsServed() throws Exception {
        HttpClient ok = deviceIssuedAt("valid-now", Duration.ZERO, Duration.ofDays(30));
        assertEquals(200, BackendFixture.get(ok, b.controller("valid-now")).statusCode());
    }

    @Test
    void anExpiredCertificateIsRefusedInTheHandshake() throws Exception {
        HttpClient expired = deviceIssuedAt("expired", Duration.ofDays(-60), Duration.ofDays(30));
        assertThrows(IOException.class, () -> BackendFixture.get(expired, b.controller("expired")));
    }

    @Test
    void aNotYetValidCertificateIsRefusedInTheHandshake() throws Exception {
        HttpClient early = deviceIssuedAt("not-yet", Duration.ofDays(10), Duration.ofDays(30));
        assertThrows(IOException.class, () -> BackendFixture.get(early, b.controller("not-yet")));
    }
}
