package io.gantry.keystore.internal;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;

/**
 * What a provisioning station does for a gateway with a token: generate the device key on the token,
 * have the CA certify the public key, store the chain on the token under the key's alias.
 */
final class TokenProvisioning {
    private TokenProvisioning() {
    }

    /** @return the key pair generated on the token through {@code provider}; the private half stays there */
    static KeyPair generateP256(Provider provider) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** Generates a non-extractable device key on the token and stores its chain (device, issuer) beside it. */
    static X509Certificate provisionDevice(int slot, String alias, String deviceId, TestPki pki) throws Exception {
        Provider p = SunPkcs11Slots.open(SoftHsmTestTokens.LIBRARY, slot, -1);
        KeyStore token = TokenKeys.login(p, SoftHsmTestTokens.pinFile());
        KeyPair pair = generateP256(p);
        X509Certificate device = pki.device(deviceId, pair.getPublic());
        token.setKeyEntry(alias, pair.getPrivate(), null, new Certificate[] {device, pki.issuer});
        return device;
    }
}
