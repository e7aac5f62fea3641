package io.gantry.backend;

import static io.gantry.backend.BackendFixture.get;
import static io.gantry.backend.BackendFixture.json;
import static io.gantry.backend.BackendFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.IssuedCredential;
import io.gantry.pki.OperatorRole;
import io.gantry.pki.Pkcs12Files;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each operator role over real mutual TLS: a certificate carrying only that role may call exactly
 * the endpoints the role matrix (docs/backend-api.md) grants it; every other one answers 403
 * ROLE_REQUIRED naming the role needed, records a security event and changes nothing.
 */
class OperatorRoleTest {
    @TempDir
    static Path tmp;
    static BackendFixture backend;
    static HttpClient admin;
    static long releaseId;
    static long actionId;
    static int uploads;

    /** One call of the matrix: who may make it, and how. */
    record Probe(OperatorRole role, String verb, String path, String json) {
        HttpResponse<String> send(HttpClient client) throws Exception {
            if ("UPLOAD".equals(verb)) {
                return backend.upload(client, backend.good("role-probe", "1.0." + (++uploads), Map.of("fw.bin", new byte[] {1, 2})));
            }
            return "GET".equals(verb) ? get(client, backend.uri(path)) : postJson(client, backend.uri(path), json);
        }
    }

    static List<Probe> probes() {
        return List.of(
                new Probe(OperatorRole.VIEWER, "GET", "/rest/v1/releases", null),
                new Probe(OperatorRole.VIEWER, "GET", "/rest/v1/releases/" + releaseId, null),
                new Probe(OperatorRole.VIEWER, "GET", "/rest/v1/targets/gw-1", null),
                new Probe(OperatorRole.VIEWER, "GET", "/rest/v1/targets/gw-1/tags", null),
                new Probe(OperatorRole.VIEWER, "GET", "/rest/v1/actions/" + actionId, null),
                new Probe(OperatorRole.VIEWER, "GET", "/rest/v1/rollouts", null),
                new Probe(OperatorRole.VIEWER, "GET", "/rest/v1/download-log/verification", null),
                new Probe(OperatorRole.OPERATOR, "POST", "/rest/v1/targets/gw-1/tags", "{\"add\":[\"probe\"]}"),
                new Probe(OperatorRole.OPERATOR, "POST", "/rest/v1/targets/gw-1/actions", "{\"releaseId\":" + releaseId + "}"),
                new Probe(OperatorRole.OPERATOR, "POST", "/rest/v1/actions/" + actionId + "/cancel", ""),
                new Probe(OperatorRole.RELEASE_MANAGER, "UPLOAD", "/rest/v1/releases", null),
                new Probe(OperatorRole.SECURITY_OFFICER, "GET", "/rest/v1/security-events", null),
                new Probe(OperatorRole.SECURITY_OFFICER, "POST", "/rest/v1/certificates/revocations",
                        "{\"serials\":[\"abcdef0123\"],\"reason\":\"keyCompromise\"}"));
    }

    @BeforeAll
    static void start() throws Exception {
        backend = new BackendFixture(tmp);
        admin = backend.operator("admin");
        assertEquals(200, get(backend.device("gw-1"), backend.controller("gw-1")).statusCode());
        long[] ids = backend.uploadAndAssign(admin, backend.good("role-base", "1.0.0", Map.of("fw.bin", new byte[] {7})), "gw-1");
        releaseId = ids[0];
        actionId = ids[1];
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(OperatorRole.class)
    void certificateWithOneRoleReachesExactlyWhatTheRoleGrants(OperatorRole role) throws Exception {
        HttpClient client = backend.operator("only-" + role.cliName(), role);
        List<String> wrong = new ArrayList<>();
        for (Probe p : probes()) {
            HttpResponse<String> r = p.send(client);
            boolean allowed = p.role().grantedBy(Set.of(role));
            if (allowed && (r.statusCode() < 200 || r.statusCode() > 299)) {
                wrong.add(p.verb() + " " + p.path() + " should be allowed, got " + r.statusCode() + " " + r.body());
            }
            if (!allowed) {
                JsonNode body = r.statusCode() == 403 ? json(r) : null;
                if (body == null || !"ROLE_REQUIRED".equals(body.path("code").asText())
                        || !body.path("message").asText().contains(p.role().name())) {
                    wrong.add(p.verb() + " " + p.path() + " should be 403 ROLE_REQUIRED naming " + p.role() + ", got "
                            + r.statusCode() + " " + r.body());
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void refusalIsRecordedAndChangesNothing() throws Exception {
        HttpClient viewer = backend.operator("watcher", OperatorRole.VIEWER);
        HttpResponse<String> r = postJson(viewer, backend.uri("/rest/v1/targets/gw-1/tags"), "{\"add\":[\"by-viewer\"]}");
        assertEquals(403, r.statusCode());
        assertEquals("this endpoint requires the operator role OPERATOR; the certificate grants VIEWER",
                json(r).get("message").asText());
        assertTrue(!get(admin, backend.uri("/rest/v1/targets/gw-1/tags")).body().contains("by-viewer"), "tag not added");
        JsonNode events = json(get(admin, backend.uri("/rest/v1/security-events?size=500")));
        boolean found = false;
        for (JsonNode e : events) {
            found |= "ROLE_REQUIRED".equals(e.get("code").asText()) && e.get("subject").asText().contains("CN=watcher")
                    && e.get("detail").asText().startsWith("POST /rest/v1/targets/gw-1/tags");
        }
        assertTrue(found, "a ROLE_REQUIRED event names the watcher and the call: " + events);
    }

    @Test
    void operatorCertificateWithoutRolesIsRefusedEverywhere() throws Exception {
        HttpClient nobody = TlsClients.withCertificate(rolelessOperator("nobody"), backend.pki.rootCaPem());
        for (Probe p : probes()) {
            HttpResponse<String> r = p.send(nobody);
            assertEquals(403, r.statusCode(), p.path());
            assertEquals("ROLE_REQUIRED", json(r).get("code").asText());
            assertTrue(json(r).get("message").asText().endsWith("the certificate grants none"), r.body());
        }
    }

    @Test
    void allRolesIsWhatTheOldIssueOperatorGives() throws Exception {
        HttpClient all = backend.operator("everything", OperatorRole.values());
        for (Probe p : probes()) {
            int status;
            status = p.send(all).statusCode();
            assertTrue(status >= 200 && status < 300, p.path() + " " + status);
        }
    }

    /** An operator certificate from the trusted intermediate, recorded as issued, with no role extension. */
    private static io.gantry.pki.ProtectedKeyStore rolelessOperator(String name) throws Exception {
        CertificateAuthority ca = backend.pki.loadIntermediateCa();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                new BigInteger(64, new java.security.SecureRandom()).setBit(63), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(1))), new org.bouncycastle.asn1.x500.X500NameBuilder()
                        .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.O, "Gantry")
                        .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.OU, "operators")
                        .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, name).build(), kp.getPublic());
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        // The registry names a certificate's CRL by its authority key identifier.
        b.addExtension(Extension.authorityKeyIdentifier, false,
                new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey())));
        backend.pki.issuanceLog().issued(cert, "operators");
        Path store = backend.pki.operatorKeyStore(name);
        Pkcs12Files.write(store, new IssuedCredential(kp.getPrivate(), List.of(cert, ca.certificate())));
        assertEquals(EnumSet.noneOf(OperatorRole.class), io.gantry.pki.OperatorRoleExtension.read(cert));
        return Pkcs12Files.load(store);
    }
}
