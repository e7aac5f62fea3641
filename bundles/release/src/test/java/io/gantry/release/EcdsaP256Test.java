package io.gantry.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.api.Test;

class EcdsaP256Test {

    @Test
    void handBuiltDomainIsBouncyCastlesSecp256r1() {
        X9ECParameters named = CustomNamedCurves.getByName("secp256r1");
        assertTrue(named.getCurve().equals(EcdsaP256.DOMAIN.getCurve()), "same curve");
        assertTrue(named.getG().equals(EcdsaP256.DOMAIN.getG()), "same base point");
        assertEquals(named.getN(), EcdsaP256.DOMAIN.getN());
        assertEquals(named.getH(), EcdsaP256.DOMAIN.getH());
    }

    @Test
    void verifiesWhatTheJdkSignsAndNothingElse() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        byte[] data = "release metadata".getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(data);
        byte[] der = s.sign();
        ECPublicKey key = (ECPublicKey) kp.getPublic();
        assertTrue(EcdsaP256.verifies(key, data, der, false));
        data[0] ^= 1;
        assertFalse(EcdsaP256.verifies(key, data, der, false), "another message");
    }
}
