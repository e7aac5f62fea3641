package io.gantry.backend.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.XECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;

/** BouncyCastle's EC operations through the provider interoperate with SunEC, and nothing else is offered. */
class BouncyCastleEcProviderTest {
    private final Provider bcEc = new BouncyCastleEcProvider();
    private final byte[] message = "handshake transcript hash".getBytes(StandardCharsets.US_ASCII);

    @Test
    void p256SignaturesVerifyAcrossBouncyCastleAndSunEc() throws Exception {
        KeyPairGenerator sunGen = KeyPairGenerator.getInstance("EC", "SunEC");
        sunGen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair sunKeys = sunGen.generateKeyPair();
        Signature bcSign = Signature.getInstance("SHA256withECDSA", bcEc);
        bcSign.initSign(sunKeys.getPrivate());
        bcSign.update(message);
        Signature sunVerify = Signature.getInstance("SHA256withECDSA", "SunEC");
        sunVerify.initVerify(sunKeys.getPublic());
        sunVerify.update(message);
        assertTrue(sunVerify.verify(bcSign.sign()), "SunEC verifies BouncyCastle's signature");

        // Keys decoded by the provider's key factory (as key stores and certificates do once it is first).
        KeyFactory bcFactory = KeyFactory.getInstance("EC", bcEc);
        Signature sunSign = Signature.getInstance("SHA256withECDSA", "SunEC");
        sunSign.initSign(sunKeys.getPrivate());
        sunSign.update(message);
        Signature bcVerify = Signature.getInstance("SHA256withECDSA", bcEc);
        bcVerify.initVerify(bcFactory.generatePublic(new X509EncodedKeySpec(sunKeys.getPublic().getEncoded())));
        bcVerify.update(message);
        assertTrue(bcVerify.verify(sunSign.sign()), "BouncyCastle verifies SunEC's signature");
        bcSign.initSign(bcFactory.generatePrivate(new PKCS8EncodedKeySpec(sunKeys.getPrivate().getEncoded())));
        bcSign.update(message);
        byte[] tampered = message.clone();
        tampered[0] ^= 1;
        sunVerify.initVerify(sunKeys.getPublic());
        sunVerify.update(tampered);
        assertEquals(false, sunVerify.verify(bcSign.sign()), "a signature over other bytes does not verify");
    }

    @Test
    void x25519AgreementMatchesSunEcAsSunJsseUsesIt() throws Exception {
        // SunJSSE: KeyPairGenerator "XDH" with X25519, the peer's key from its u-coordinate through KeyFactory "XDH" (SunEC's).
        KeyPairGenerator bcGen = KeyPairGenerator.getInstance("XDH", bcEc);
        bcGen.initialize(NamedParameterSpec.X25519);
        KeyPair bcKeys = bcGen.generateKeyPair();
        KeyPairGenerator sunGen = KeyPairGenerator.getInstance("XDH", "SunEC");
        sunGen.initialize(NamedParameterSpec.X25519);
        KeyPair sunKeys = sunGen.generateKeyPair();

        BigInteger sunU = ((XECPublicKey) sunKeys.getPublic()).getU();
        KeyAgreement bcAgree = KeyAgreement.getInstance("XDH", bcEc);
        bcAgree.init(bcKeys.getPrivate());
        bcAgree.doPhase(KeyFactory.getInstance("XDH", "SunEC").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, sunU)), true);
        BigInteger bcU = ((XECPublicKey) bcKeys.getPublic()).getU();
        KeyAgreement sunAgree = KeyAgreement.getInstance("XDH", "SunEC");
        sunAgree.init(sunKeys.getPrivate());
        sunAgree.doPhase(KeyFactory.getInstance("XDH", "SunEC").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, bcU)), true);
        assertArrayEquals(sunAgree.generateSecret(), bcAgree.generateSecret());
    }

    @Test
    void offersOnlyEllipticCurveServices() {
        for (Provider.Service s : bcEc.getServices()) {
            assertTrue(s.getType().equals("Signature") && s.getAlgorithm().endsWith("withECDSA")
                    || s.getAlgorithm().matches("EC|ECDH|XDH|X25519"), s.toString());
        }
        for (String type : new String[] {"KeyPairGenerator", "KeyAgreement"}) {
            assertEquals(BouncyCastleEcProvider.NAME, bcEc.getService(type, "XDH").getProvider().getName());
        }
        assertNull(bcEc.getService("Cipher", "AES/GCM/NoPadding"), "record ciphers stay the JDK's");
        assertNull(bcEc.getService("Mac", "HmacSHA256"));
        assertNull(bcEc.getService("CertificateFactory", "X.509"));
        assertNull(bcEc.getService("KeyStore", "PKCS12"));
    }

    @Test
    void unknownEcChoiceIsRefused() {
        String before = System.getProperty(HttpsConnectors.EC_PROPERTY);
        System.setProperty(HttpsConnectors.EC_PROPERTY, "sunec");
        try {
            assertThrows(IllegalArgumentException.class, HttpsConnectors::installEcProvider);
        } finally {
            if (before == null) {
                System.clearProperty(HttpsConnectors.EC_PROPERTY);
            } else {
                System.setProperty(HttpsConnectors.EC_PROPERTY, before);
            }
        }
    }
}
