package io.gantry.backend.est;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.failure.FailureCode;
import io.gantry.backend.failure.EstRefusal;
import io.gantry.backend.http.ApiException;
import io.gantry.pki.EcKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CsrRequestsTest {
    static PKCS10CertificationRequest csr(String subject, KeyPair key) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    }

    static FailureCode code(Runnable r) {
        return assertThrows(ApiException.class, r::run).code();
    }

    @Test
    void acceptsBase64DerAndPem() throws Exception {
        byte[] der = csr("CN=dev-1", EcKeys.generateP256()).getEncoded();
        String b64 = Base64.getMimeEncoder().encodeToString(der);
        assertEquals(new X500Name("CN=dev-1"), CsrRequests.parse(b64.getBytes(StandardCharsets.US_ASCII)).getSubject());
        assertEquals(new X500Name("CN=dev-1"), CsrRequests.parse(der).getSubject());
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + b64 + "\n-----END CERTIFICATE REQUEST-----\n";
        assertEquals(new X500Name("CN=dev-1"), CsrRequests.parse(pem.getBytes(StandardCharsets.US_ASCII)).getSubject());
    }

    @Test
    void rejectsGarbageAsMalformed() {
        assertEquals(EstRefusal.MALFORMED_CSR, code(() -> CsrRequests.parse("%%%".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(EstRefusal.MALFORMED_CSR, code(() -> CsrRequests.parse(Base64.getEncoder().encode(new byte[] {0x30, 0x03, 1, 2, 3}))));
        assertEquals(EstRefusal.MALFORMED_CSR, code(() -> CsrRequests.parse(new byte[0])));
    }

    @Test
    void subjectRuleAcceptsOnlyTheIdAloneOrTheFullDeviceName() throws Exception {
        KeyPair k = EcKeys.generateP256();
        CsrRequests.requireSubject(csr("CN=dev-1", k), "dev-1");
        CsrRequests.requireSubject(csr("CN=dev-1,OU=devices,O=Gantry", k), "dev-1");
        CsrRequests.requireSubject(csr("O=Gantry,OU=devices,CN=dev-1", k), "dev-1");
        for (String other : new String[] {"CN=dev-2", "CN=dev-1,OU=operators,O=Gantry", "CN=dev-1,O=Gantry", "CN=dev-1,CN=dev-1",
            "CN=dev-1,OU=devices,O=Gantry,L=x", "OU=devices,O=Gantry"}) {
            assertEquals(EstRefusal.CSR_SUBJECT_MISMATCH, code(() -> {
                try {
                    CsrRequests.requireSubject(csr(other, k), "dev-1");
                } catch (ApiException e) {
                    throw e;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }), other);
        }
    }

    @Test
    void rejectsRequestSignedByAnotherKey() throws Exception {
        KeyPair victim = EcKeys.generateP256();
        PKCS10CertificationRequest forged = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=dev-1"), victim.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(EcKeys.generateP256().getPrivate()));
        assertEquals(EstRefusal.CSR_SIGNATURE_INVALID, code(() -> CsrRequests.verifiedP256Key(forged, IssuingAuthority.verifiers())));
        assertEquals(victim.getPublic(), CsrRequests.verifiedP256Key(csr("CN=dev-1", victim), IssuingAuthority.verifiers()));
    }
}
