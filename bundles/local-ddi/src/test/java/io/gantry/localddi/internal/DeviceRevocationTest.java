package io.gantry.localddi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.gantry.api.device.DeviceFailureCode;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.IssuanceLog;
import io.gantry.pki.IssuedCredential;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.RevocationEndpoints;
import io.gantry.testing.TestClock;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device certificate revocation on the local DDI endpoint, over real mutual TLS on loopback: device
 * certificates from a fleet CA whose certificates name a CRL distribution point, that CRL served by
 * a plain-HTTP server as the backend's revocation listener serves it, and the endpoint's CRL cache
 * on a test clock. Revoked is refused {@code DEVICE_CERT_REVOKED}, unknown (no CRL, a stale one
 * past its grace, a forged or replayed one) {@code DEVICE_CERT_STATUS_UNKNOWN}; a good device polls.
 */
class DeviceRevocationTest {
    static final String GOOD = "swu-dev-1";
    static final String REVOKED = "swu-dev-2";
    static final Duration REFRESH = Duration.ofMinutes(5);
    static final Duration GRACE = Duration.ofMinutes(30);

    @TempDir
    Path dir;
    final TestClock clock = new TestClock(Instant.now());
    final AtomicReference<byte[]> served = new AtomicReference<>();
    HttpServer crlServer;
    LocalDdiServer endpoint;
    CertificateAuthority fleetRoot;
    CertificateAuthority fleetIssuer;
    CertificateAuthority localCa;
    IssuedCredential good;
    IssuedCredential revoked;

    @BeforeEach
    void start() throws Exception {
        crlServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        crlServer.createContext("/crl/", x -> {
            byte[] body = served.get();
            if (body == null) {
                x.sendResponseHeaders(503, -1);
            } else {
                x.sendResponseHeaders(200, body.length);
                x.getResponseBody().write(body);
            }
            x.close();
        });
        crlServer.start();
        RevocationEndpoints revocation = RevocationEndpoints.of("http://127.0.0.1:" + crlServer.getAddress().getPort());
        fleetRoot = CertificateAuthority.createRoot("fleet-root", Clock.systemUTC(), revocation, IssuanceLog.NONE);
        fleetIssuer = fleetRoot.issueIntermediate("fleet-issuer");
        good = fleetIssuer.issueDevice(GOOD);
        revoked = fleetIssuer.issueDevice(REVOKED);
        localCa = CertificateAuthority.createRoot("gateway-local-ca", Clock.systemUTC());
        Path p12 = dir.resolve("server.p12");
        Pkcs12Files.write(p12, localCa.issueServer("gateway-local-ddi", List.of("127.0.0.1")));
        List<X509Certificate> deviceCas = List.of(fleetRoot.certificate());
        DeviceCrlCache cache = new DeviceCrlCache(clock, REFRESH, GRACE);
        endpoint = LocalDdiServer.start(new InetSocketAddress("127.0.0.1", 0),
                LocalDdiServer.tls(p12, Pkcs12Files.passwordFile(p12), deviceCas),
                new DdiHandler("DEFAULT", Set.of(GOOD, REVOKED), new DeviceOffers(),
                        new ArtifactCache(dir.resolve("cache"), 1 << 20, 1 << 20, clock), 5, cache, deviceCas));
    }

    @AfterEach
    void stop() {
        endpoint.close();
        crlServer.stop(0);
    }

    @Test
    void revokedDeviceIsRefusedWithItsCodeWhileAGoodDeviceStillPolls() throws Exception {
        served.set(crl(fleetIssuer, clock.instant(), revoked.certificate()));
        assertEquals(200, poll(good, GOOD).statusCode());
        HttpResponse<String> refused = poll(revoked, REVOKED);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().startsWith(DeviceFailureCode.DEVICE_CERT_REVOKED + ": "), refused.body());
        assertTrue(refused.body().contains(revoked.certificate().getSerialNumber().toString(16)), refused.body());
        assertEquals(200, poll(good, GOOD).statusCode(), "other devices are unaffected");
    }

    @Test
    void aRevocationReachesAKeptAliveConnectionOnceTheCrlIsRefreshed() throws Exception {
        served.set(crl(fleetIssuer, clock.instant()));
        HttpClient device = client(revoked);
        assertEquals(200, poll(device, REVOKED).statusCode());
        served.set(crl(fleetIssuer, clock.instant().plusSeconds(1), revoked.certificate()));
        assertEquals(200, poll(device, REVOKED).statusCode(), "the held CRL answers until it is due");
        clock.advance(REFRESH);
        HttpResponse<String> refused = poll(device, REVOKED);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().startsWith("DEVICE_CERT_REVOKED: "), refused.body());
    }

    @Test
    void noCrlAtAllIsRefusedAsUnknown() throws Exception {
        HttpResponse<String> refused = poll(good, GOOD);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().startsWith("DEVICE_CERT_STATUS_UNKNOWN: "), refused.body());
        assertTrue(refused.body().contains("answered 503"), refused.body());
    }

    @Test
    void aCrlPastNextUpdateAnswersWithinTheGraceAndFailsClosedAfterIt() throws Exception {
        served.set(crl(fleetIssuer, clock.instant()));
        assertEquals(200, poll(good, GOOD).statusCode());
        served.set(null);
        clock.advance(Duration.ofDays(1).plusMinutes(1));
        assertEquals(200, poll(good, GOOD).statusCode(), "past nextUpdate, within the grace");
        clock.advance(GRACE);
        HttpResponse<String> refused = poll(good, GOOD);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().startsWith("DEVICE_CERT_STATUS_UNKNOWN: ") && refused.body().contains("past nextUpdate"),
                refused.body());
        served.set(crl(fleetIssuer, clock.instant()));
        clock.advance(DeviceCrlCache.RETRY_AFTER_FAILURE);
        assertEquals(200, poll(good, GOOD).statusCode(), "a fresh CRL lets the device in again");
    }

    @Test
    void aCrlNotSignedByTheDevicesIssuerIsNotTaken() throws Exception {
        served.set(crl(fleetRoot, clock.instant()));
        HttpResponse<String> refused = poll(good, GOOD);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().startsWith("DEVICE_CERT_STATUS_UNKNOWN: ") && refused.body().contains("CRL issued by"),
                refused.body());
    }

    @Test
    void anOlderCrlServedAfterANewerOneDoesNotUnrevoke() throws Exception {
        byte[] older = crl(fleetIssuer, clock.instant().minusSeconds(60));
        served.set(crl(fleetIssuer, clock.instant(), revoked.certificate()));
        assertEquals(403, poll(revoked, REVOKED).statusCode());
        served.set(older);
        clock.advance(REFRESH);
        HttpResponse<String> still = poll(revoked, REVOKED);
        assertEquals(403, still.statusCode());
        assertTrue(still.body().startsWith("DEVICE_CERT_REVOKED: "), still.body());
    }

    @Test
    void aCertificateWithoutDistributionPointHasNoKnownStatus() throws Exception {
        CertificateAuthority bare = CertificateAuthority.createRoot("bare-root", Clock.systemUTC()).issueIntermediate("bare-issuer");
        IssuedCredential device = bare.issueDevice(GOOD);
        DeviceCrlCache cache = new DeviceCrlCache(clock, REFRESH, GRACE);
        DeviceCertificateRefusedException e = assertThrows(DeviceCertificateRefusedException.class,
                () -> cache.check(device.chain(), List.of()));
        assertEquals(DeviceFailureCode.DEVICE_CERT_STATUS_UNKNOWN, e.code());
    }

    /** A CRL of {@code ca}: thisUpdate {@code at}, nextUpdate a day later (as the backend's), listing {@code revoked}. */
    static byte[] crl(CertificateAuthority ca, Instant at, X509Certificate... revoked) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                Date.from(at));
        b.setNextUpdate(Date.from(at.plus(Duration.ofDays(1))));
        for (X509Certificate c : revoked) {
            b.addCRLEntry(c.getSerialNumber(), Date.from(at), CRLReason.keyCompromise);
        }
        PrivateKey key = ca.privateKey();
        X509CRL crl = new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        return crl.getEncoded();
    }

    private HttpResponse<String> poll(IssuedCredential device, String controller) throws Exception {
        return poll(client(device), controller);
    }

    private HttpResponse<String> poll(HttpClient client, String controller) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + endpoint.address().getPort()
                + "/DEFAULT/controller/v1/" + controller)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpClient client(IssuedCredential device) throws Exception {
        char[] pw = "test".toCharArray();
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("device", device.privateKey(), pw, device.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(identity, pw);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("local-ca", localCa.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }

    static BigInteger serial(IssuedCredential c) {
        return c.certificate().getSerialNumber();
    }
}
