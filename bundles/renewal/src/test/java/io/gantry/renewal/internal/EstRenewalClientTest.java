package io.gantry.renewal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.keystore.PendingRenewal;
import io.gantry.api.keystore.RenewableIdentity;
import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import io.gantry.api.renewal.RetryLaterException;
import io.gantry.testing.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request and answer handling of simplereenroll and cacerts against an EST server on loopback. */
class EstRenewalClientTest {
    @TempDir
    Path dir;
    private TestPki ca;
    private TestEstServer est;
    private RenewableIdentity identity;

    @BeforeEach
    void start() throws Exception {
        ca = new TestPki();
        est = new TestEstServer(ca, false);
        identity = DeviceIdentities.fileKeyStore(dir, ca, Instant.now().plus(Duration.ofDays(60)));
    }

    @AfterEach
    void stop() {
        est.close();
    }

    private EstRenewalClient client() {
        return new EstRenewalClient(identity.sslContext(), est.uri(), Clock.systemUTC());
    }

    @Test
    void reenrollReturnsTheIssuedCertificateForTheCsrKey() throws Exception {
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> certs = client().simpleReenroll(pending.csr());
        assertEquals(pending.publicKey(), CertChains.leafFirst(certs, pending.publicKey()).get(0).getPublicKey());
        assertEquals(List.of(ca.issuer, ca.root), client().caCerts());
    }

    @Test
    void acceptedButPendingIsRetryLaterWithTheServersDelay() throws Exception {
        est.mode = TestEstServer.Mode.RETRY_AFTER_120;
        RetryLaterException e = assertThrows(RetryLaterException.class,
                () -> client().simpleReenroll(identity.beginRenewal().csr()));
        assertEquals(Duration.ofSeconds(120), e.retryAfter());
    }

    @Test
    void serverErrorIsRefusedWithItsStatus() throws Exception {
        est.mode = TestEstServer.Mode.SERVER_ERROR;
        RenewalException e = assertThrows(RenewalException.class, () -> client().simpleReenroll(identity.beginRenewal().csr()));
        assertEquals(RenewalErrorCode.REFUSED, e.code());
        assertEquals(true, e.getMessage().contains("500"), e.getMessage());
    }

    @Test
    void answerThatIsNotPkcs7IsABadResponse() throws Exception {
        est.mode = TestEstServer.Mode.WRONG_CONTENT_TYPE;
        assertEquals(RenewalErrorCode.BAD_RESPONSE, assertThrows(RenewalException.class,
                () -> client().simpleReenroll(identity.beginRenewal().csr())).code());
    }

    @Test
    void csrForAnotherSubjectIsRefusedByTheServer() throws Exception {
        assertEquals(RenewalErrorCode.REFUSED, assertThrows(RenewalException.class,
                () -> client().simpleReenroll(otherSubjectCsr())).code());
    }

    @Test
    void clientWithoutCertificateCannotReachTheEstServer() throws Exception {
        SSLContext anonymous = SSLContext.getInstance("TLS");
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", ca.root);
        tmf.init(trust);
        anonymous.init(null, tmf.getTrustManagers(), null);
        RenewalException e = assertThrows(RenewalException.class,
                () -> new EstRenewalClient(anonymous, est.uri(), Clock.systemUTC()).simpleReenroll(identity.beginRenewal().csr()));
        assertEquals(RenewalErrorCode.BACKEND_UNREACHABLE, e.code());
    }

    @Test
    void plainHttpBackendIsRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class,
                () -> new EstRenewalClient(identity.sslContext(), URI.create("http://127.0.0.1:1"), Clock.systemUTC()));
    }

    private byte[] otherSubjectCsr() throws Exception {
        java.security.KeyPair k = TestPki.p256();
        return new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new javax.security.auth.x500.X500Principal("CN=gw-victim,OU=devices,O=Gantry"), k.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(k.getPrivate()))
                .getEncoded();
    }
}
