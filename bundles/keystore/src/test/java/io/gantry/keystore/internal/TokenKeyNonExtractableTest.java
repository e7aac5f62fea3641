package io.gantry.keystore.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.testing.SoftHsmTestTokens;
import io.gantry.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A key generated through {@link SunPkcs11Slots} signs on the token and cannot be taken off it. */
class TokenKeyNonExtractableTest {
    private static Provider token;
    private static KeyPair pair;

    @BeforeAll
    static void generateOnToken() throws Exception {
        token = SunPkcs11Slots.open(SoftHsmTestTokens.LIBRARY, Math.toIntExact(SoftHsmTestTokens.slot(SoftHsmTestTokens.MAIN)), -1);
        TokenKeys.login(token, SoftHsmTestTokens.pinFile());
        pair = SoftHsmTestTokens.generateP256(token);
    }

    @Test
    void privateKeyHasNoEncoding() {
        assertNull(pair.getPrivate().getEncoded());
        assertNull(pair.getPrivate().getFormat());
    }

    @Test
    void tokenRefusesToExportTheKeyValue() throws Exception {
        KeyFactory kf = KeyFactory.getInstance("EC", token);
        assertThrows(InvalidKeySpecException.class, () -> kf.getKeySpec(pair.getPrivate(), ECPrivateKeySpec.class));
        assertThrows(InvalidKeySpecException.class, () -> kf.getKeySpec(pair.getPrivate(), PKCS8EncodedKeySpec.class));
    }

    @Test
    void keyCannotBeCopiedIntoAPkcs12File() throws Exception {
        KeyStore file = KeyStore.getInstance("PKCS12");
        file.load(null, null);
        Certificate cert = new TestPki().device("copy", pair.getPublic());
        assertThrows(Exception.class,
                () -> file.setKeyEntry("copy", pair.getPrivate(), "pw".toCharArray(), new Certificate[] {cert}));
    }

    @Test
    void softwareProviderCannotUseTheKey() throws Exception {
        Signature software = Signature.getInstance("SHA256withECDSA", "SunEC");
        assertThrows(InvalidKeyException.class, () -> software.initSign(pair.getPrivate()));
    }

    @Test
    void yetTheTokenSignsWithIt() throws Exception {
        byte[] data = "release.json bytes".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA", token);
        signer.initSign(pair.getPrivate());
        signer.update(data);
        byte[] sig = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA", "SunEC");
        verifier.initVerify(pair.getPublic());
        verifier.update(data);
        assertTrue(verifier.verify(sig));
    }
}
