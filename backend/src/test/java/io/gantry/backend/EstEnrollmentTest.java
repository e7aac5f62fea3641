package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.EstClients.certificates;
import static io.gantry.backend.EstClients.csr;
import static io.gantry.backend.EstClients.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.CertificateProfile;
import io.gantry.pki.EcKeys;
import io.gantry.pki.FactoryCredentials;
import io.gantry.pki.Pkcs12Files;
import io.gantry.pki.ProtectedKeyStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EST over mutual TLS: who may enroll what, and every abuse refused with its code and recorded. */
class EstEnrollmentTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    static HttpClient factory(String id) throws Exception {
        Path store = FactoryCredentials.issue(backend.pki, id, CertificateProfile.FACTORY_VALIDITY);
        return TlsClients.withCertificate(Pkcs12Files.load(store), backend.pki.rootCaPem());
    }

    static void assertRefused(HttpResponse<String> r, int status, String code) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(code, json(r).get("code").asText());
        HttpResponse<String> events = get(backend.operator("ops"), backend.uri("/rest/v1/security-events?size=50"));
        List<String> codes = new java.util.ArrayList<>();
        json(events).forEach(e -> codes.add(e.get("code").asText()));
        assertTrue(codes.contains(code), "recorded as a security event: " + codes);
    }

    @Test
    void factoryCredentialEnrollsItsOwnIdOnceAndIsRefusedOnReplay() throws Exception {
        HttpClient f = factory("dev-once");
        KeyPair key = EcKeys.generateP256();
        HttpResponse<String> r = post(f, backend.server.baseUri(), "simpleenroll", csr("CN=dev-once", key));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/pkcs7-mime"));
        var cert = certificates(r.body()).get(0);
        assertEquals("CN=dev-once,OU=devices,O=Gantry", cert.getSubjectX500Principal().getName());
        assertEquals(key.getPublic(), cert.getPublicKey());
        assertTrue(cert.getNotAfter().toInstant().isAfter(backend.clock.instant().plus(Duration.ofDays(5 * 365))));
        assertRefused(post(f, backend.server.baseUri(), "simpleenroll", csr("CN=dev-once", EcKeys.generateP256())), 403,
                "FACTORY_CREDENTIAL_USED");
    }

    @Test
    void racingReplaysOfOneFactoryCredentialIssueExactlyOnce() throws Exception {
        HttpClient f = factory("dev-race");
        // One request first, so the registry knows the new credential before the race (the race is about consumption).
        assertEquals(200, get(f, backend.uri("/.well-known/est/cacerts")).statusCode());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<Integer> attempt = () -> {
                String body = csr("CN=dev-race", EcKeys.generateP256());
                go.await();
                return post(f, backend.server.baseUri(), "simpleenroll", body).statusCode();
            };
            List<Future<Integer>> results = List.of(pool.submit(attempt), pool.submit(attempt), pool.submit(attempt),
                    pool.submit(attempt));
            go.countDown();
            int ok = 0;
            for (Future<Integer> result : results) {
                int status = result.get();
                assertTrue(status == 200 || status == 403, "status " + status);
                ok += status == 200 ? 1 : 0;
            }
            assertEquals(1, ok);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void factoryCsrForAnotherSubjectIsRefusedAndDoesNotConsumeTheCredential() throws Exception {
        HttpClient f = factory("dev-f1");
        assertRefused(post(f, backend.server.baseUri(), "simpleenroll", csr("CN=dev-f2", EcKeys.generateP256())), 403,
                "CSR_SUBJECT_MISMATCH");
        assertRefused(post(f, backend.server.baseUri(), "simpleenroll",
                csr("CN=dev-f1,OU=operators,O=Gantry", EcKeys.generateP256())), 403, "CSR_SUBJECT_MISMATCH");
        assertEquals(200, post(f, backend.server.baseUri(), "simpleenroll", csr("CN=dev-f1", EcKeys.generateP256())).statusCode());
    }

    @Test
    void renewalCsrForAnotherSubjectIsRefused() throws Exception {
        assertRefused(post(backend.device("dev-r1"), backend.server.baseUri(), "simplereenroll",
                csr("CN=dev-r2,OU=devices,O=Gantry", EcKeys.generateP256())), 403, "CSR_SUBJECT_MISMATCH");
    }

    @Test
    void malformedWrongKeyAndForgedCsrsAreRefused() throws Exception {
        HttpClient device = backend.device("dev-bad");
        assertRefused(post(device, backend.server.baseUri(), "simplereenroll", "not a csr"), 400, "MALFORMED_CSR");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKey = rsa.generateKeyPair();
        assertRefused(post(device, backend.server.baseUri(), "simplereenroll",
                csr("CN=dev-bad", rsaKey, rsaKey, "SHA256withRSA")), 400, "KEY_TYPE_NOT_ALLOWED");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = ec.generateKeyPair();
        assertRefused(post(device, backend.server.baseUri(), "simplereenroll",
                csr("CN=dev-bad", p384, p384, "SHA384withECDSA")), 400, "KEY_TYPE_NOT_ALLOWED");
        // Proof of possession: the victim's public key in a request signed by someone else.
        assertRefused(post(device, backend.server.baseUri(), "simplereenroll",
                csr("CN=dev-bad", EcKeys.generateP256(), EcKeys.generateP256(), "SHA256withECDSA")), 400,
                "CSR_SIGNATURE_INVALID");
    }

    @Test
    void eachOperationOnlyForItsCredential() throws Exception {
        String body = csr("CN=dev-roles", EcKeys.generateP256());
        assertRefused(post(backend.device("dev-roles"), backend.server.baseUri(), "simpleenroll", body), 403,
                "NOT_A_FACTORY_CREDENTIAL");
        assertRefused(post(backend.operator("ops"), backend.server.baseUri(), "simplereenroll", body), 403, "NOT_A_DEVICE");
        HttpClient f = factory("dev-roles2");
        assertRefused(post(f, backend.server.baseUri(), "simplereenroll", csr("CN=dev-roles2", EcKeys.generateP256())), 403,
                "NOT_A_DEVICE");
        assertEquals(403, get(f, backend.controller("dev-roles2")).statusCode(), "a factory credential is no device");
        assertEquals(200, get(f, backend.uri("/.well-known/est/cacerts")).statusCode());
    }

    @Test
    void expiredDeviceCertificateCannotRenewBecauseTlsRefusesIt() throws Exception {
        ProtectedKeyStore ks = backend.pki.loadIntermediate();
        Clock sixYearsAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(6 * 365)), ZoneOffset.UTC);
        CertificateAuthority pastCa = new CertificateAuthority(ks.privateKey(), ks.chain().get(0), sixYearsAgo);
        KeyPair key = EcKeys.generateP256();
        var expired = EstClients.identity(key, pastCa.issueDevice("dev-old", key.getPublic()));
        HttpClient device = TlsClients.withCertificate(expired, backend.pki.rootCaPem());
        assertThrows(IOException.class, () -> post(device, backend.server.baseUri(), "simplereenroll", csr("CN=dev-old", key)));
    }
    @Test
    void revokedDeviceCertificateCannotRenew() throws Exception {
        HttpClient device = backend.device("dev-revoked");
        assertEquals(200, get(device, backend.uri("/.well-known/est/cacerts")).statusCode());
        String serial = backend.pki.loadDevice("dev-revoked").chain().get(0).getSerialNumber().toString(16);
        assertEquals(200, BackendFixture.postJson(backend.operator("ops"), backend.uri("/rest/v1/certificates/revocations"),
                "{\"serials\":[\"" + serial + "\"],\"reason\":\"keyCompromise\"}").statusCode());
        String body = csr("CN=dev-revoked", EcKeys.generateP256());
        try {
            HttpResponse<String> r = post(device, backend.server.baseUri(), "simplereenroll", body);
            assertEquals(403, r.statusCode(), r.body());
            assertEquals("CERT_REVOKED", json(r).get("code").asText());
        } catch (IOException refusedInHandshake) {
            // A new connection: the TLS layer refused the revoked certificate before any request.
        }
    }

    @Test
    void everyCertificateEstIssuesIsInTheRegistry() throws Exception {
        KeyPair key = EcKeys.generateP256();
        HttpResponse<String> r = post(backend.device("dev-reg"), backend.server.baseUri(), "simplereenroll", csr("CN=dev-reg", key));
        assertEquals(200, r.statusCode(), r.body());
        var issued = certificates(r.body()).get(0);
        HttpResponse<String> status = get(backend.operator("ops"),
                backend.uri("/rest/v1/certificates/" + issued.getSerialNumber().toString(16)));
        assertEquals(200, status.statusCode(), status.body());
        assertTrue(status.body().contains("GOOD"), status.body());
        // The renewed identity works on the device API at once.
        var renewed = EstClients.identity(key, List.of(issued, backend.pki.loadIntermediate().chain().get(0)));
        assertEquals(200, get(TlsClients.withCertificate(renewed, backend.pki.rootCaPem()), backend.controller("dev-reg")).statusCode());
    }
}
