package io.gantry.backend.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.backend.db.Database;
import io.gantry.backend.db.SecurityEventRepository;
import io.gantry.backend.db.TestDatabases;
import io.gantry.backend.events.SecurityEvents;
import io.gantry.pki.CertificateAuthority;
import io.gantry.pki.CertificateProfile;
import io.gantry.testing.TestClock;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OCSP responder and CRL publisher against a real registry, with a clock the test moves. */
class OcspResponderTest {
    @TempDir
    Path tmp;
    Database db;
    TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    CertificateAuthority intermediate;
    CertificateRegistry registry;
    OcspResponder ocsp;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabases.open(tmp.resolve("db"));
        SecurityEvents events = new SecurityEvents(db, new SecurityEventRepository(), clock, 1000);
        registry = new CertificateRegistry(db, clock, events);
        intermediate = CertificateAuthority.createRoot("root", clock).issueIntermediate("inter");
        CertificateAuthority recording = new CertificateAuthority(intermediate.privateKey(), intermediate.certificate(), clock,
                null, (c, role) -> {
                    try {
                        registry.record(c, role);
                    } catch (java.sql.SQLException e) {
                        throw new java.io.IOException(e);
                    }
                });
        intermediate = recording;
        ocsp = new OcspResponder(registry, new OcspSigningCredential(recording, clock), clock);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    X509Certificate device(String id) throws Exception {
        return intermediate.issueDevice(id).chain().get(0);
    }

    SingleResp ask(BigInteger serial, byte[] nonce) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(intermediate.certificate()), serial);
        OCSPReqBuilder b = new OCSPReqBuilder().addRequest(id);
        if (nonce != null) {
            b.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(nonce).getEncoded()))));
        }
        OCSPResp resp = new OCSPResp(ocsp.respond(b.build().getEncoded()));
        assertEquals(OCSPResp.SUCCESSFUL, resp.getStatus());
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        X509Certificate responder = ocsp.responderCertificate();
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder.getPublicKey())));
        assertTrue(responder.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.9"), "id-kp-OCSPSigning");
        if (nonce != null) {
            assertEquals(new DEROctetString(nonce), basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getParsedValue(),
                    "nonce echoed");
        }
        return basic.getResponses()[0];
    }

    @Test
    void answersGoodThenRevokedWithReasonAndUnknownForForeignSerial() throws Exception {
        X509Certificate d = device("d1");
        assertNull(ask(d.getSerialNumber(), new byte[] {1, 2, 3}).getCertStatus());
        assertEquals(CertificateRegistry.Outcome.REVOKED, registry.revoke(Serials.hex(d.getSerialNumber()),
                RevocationReason.keyCompromise, "test"));
        RevokedStatus revoked = assertInstanceOf(RevokedStatus.class, ask(d.getSerialNumber(), null).getCertStatus());
        assertEquals(RevocationReason.keyCompromise.code(), revoked.getRevocationReason());
        assertInstanceOf(UnknownStatus.class, ask(BigInteger.valueOf(424242), null).getCertStatus());
        assertEquals(OCSPResp.MALFORMED_REQUEST, new OCSPResp(ocsp.respond(new byte[] {0x30, 0x01})).getStatus());
    }

    @Test
    void staleAnswerIsNeverServedAsFresh() throws Exception {
        X509Certificate d = device("d2");
        SingleResp first = ask(d.getSerialNumber(), null);
        assertEquals(clock.instant().plus(OcspResponder.VALIDITY), first.getNextUpdate().toInstant());
        clock.advance(OcspResponder.VALIDITY.plusMinutes(1));
        SingleResp later = ask(d.getSerialNumber(), null);
        assertTrue(later.getNextUpdate().toInstant().isAfter(clock.instant()), "nextUpdate must lie ahead of the clock");
        assertEquals(clock.instant(), later.getThisUpdate().toInstant());
    }

    @Test
    void massRevocationRevokesEveryCertificateOfTheIntermediateInOneCall() throws Exception {
        List<X509Certificate> fleet = List.of(device("a"), device("b"), device("c"),
                intermediate.issueOperator("op").chain().get(0));
        List<String> revoked = registry.revokeAllIssuedBy(intermediate.certificate(), RevocationReason.cACompromise, "test");
        assertTrue(revoked.size() >= fleet.size());
        for (X509Certificate c : fleet) {
            assertEquals(CertificateState.Status.REVOKED, registry.status(c).status());
            assertInstanceOf(RevokedStatus.class, ask(c.getSerialNumber(), null).getCertStatus());
        }
        assertEquals(CertificateProfile.DEVICES_OU, registry.status(fleet.get(0)).role());
    }

    @Test
    void crlCarriesRevokedSerialsAndAGrowingNumber() throws Exception {
        CrlPublisher crl = new CrlPublisher(registry, intermediate.privateKey(), intermediate.certificate(), clock);
        X509Certificate d = device("crl");
        java.security.cert.X509CRL before = parse(crl.currentCrl());
        registry.revoke(Serials.hex(d.getSerialNumber()), RevocationReason.superseded, "test");
        java.security.cert.X509CRL after = parse(crl.currentCrl());
        after.verify(intermediate.certificate().getPublicKey());
        assertNull(before.getRevokedCertificate(d.getSerialNumber()));
        assertTrue(after.isRevoked(d));
        assertTrue(crlNumber(after).compareTo(crlNumber(before)) > 0);
        assertEquals(clock.instant().plus(CrlPublisher.VALIDITY), after.getNextUpdate().toInstant());
    }

    static java.security.cert.X509CRL parse(byte[] der) throws Exception {
        return (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCRL(new java.io.ByteArrayInputStream(der));
    }

    static BigInteger crlNumber(java.security.cert.X509CRL crl) {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        return org.bouncycastle.asn1.ASN1Integer.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getValue();
    }
}
