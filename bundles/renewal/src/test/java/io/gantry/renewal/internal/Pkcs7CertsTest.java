package io.gantry.renewal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import io.gantry.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/** Reading EST certs-only answers, and refusing everything else. */
class Pkcs7CertsTest {

    @Test
    void readsEveryCertificateOfACertsOnlyAnswer() throws Exception {
        TestPki ca = new TestPki();
        X509Certificate leaf = ca.device(DeviceIdentities.SUBJECT, TestPki.p256().getPublic(), Instant.now(),
                Instant.now().plusSeconds(3600));
        List<X509Certificate> certs = Pkcs7Certs.parse(TestPki.certsOnly(List.of(leaf, ca.issuer)));
        assertEquals(2, certs.size());
        assertEquals(java.util.Set.of(leaf, ca.issuer), java.util.Set.copyOf(certs));
    }

    @Test
    void acceptsUnwrappedBase64AsRfc8951Allows() throws Exception {
        TestPki ca = new TestPki();
        byte[] wrapped = TestPki.certsOnly(List.of(ca.issuer));
        byte[] oneLine = Base64.getEncoder().encode(Base64.getMimeDecoder().decode(wrapped));
        assertEquals(List.of(ca.issuer), Pkcs7Certs.parse(oneLine));
    }

    @Test
    void refusesNonBase64AndNonCms() {
        assertBad("not base64 at all!".getBytes(StandardCharsets.US_ASCII));
        assertBad(Base64.getEncoder().encode("just text".getBytes(StandardCharsets.US_ASCII)));
        assertBad(new byte[0]);
    }

    @Test
    void refusesASignedMessageThatIsNotCertsOnly() throws Exception {
        TestPki ca = new TestPki();
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.issuerKey.getPrivate()), ca.issuer));
        gen.addCertificates(new JcaCertStore(List.of(ca.issuer)));
        byte[] signed = gen.generate(new CMSProcessableByteArray("x".getBytes(StandardCharsets.US_ASCII)), true).getEncoded();
        assertBad(Base64.getEncoder().encode(signed));
    }

    @Test
    void refusesAnAnswerWithoutCertificates() throws Exception {
        assertBad(TestPki.certsOnly(List.of()));
    }

    private static void assertBad(byte[] body) {
        assertEquals(RenewalErrorCode.BAD_RESPONSE, assertThrows(RenewalException.class, () -> Pkcs7Certs.parse(body)).code());
    }
}
