package io.gantry.keystore.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.Collections;

/** Logging in to a token and accepting only a private key that cannot leave it. */
final class TokenKeys {
    private TokenKeys() {
    }

    /**
     * Logs in with the PIN read from {@code pinFile}; the PIN is zeroed before this returns.
     *
     * @return the token's key store, logged in
     * @throws GeneralSecurityException on a wrong PIN or a token that refuses the login
     */
    static KeyStore login(Provider provider, Path pinFile) throws IOException, GeneralSecurityException {
        char[] pin = PinFiles.read(pinFile);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new GeneralSecurityException("token refused the PIN from " + pinFile, e);
            }
            throw new GeneralSecurityException("cannot log in to the token: " + e.getMessage(), e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /**
     * @return the private key under {@code alias}
     * @throws GeneralSecurityException if there is none, or if the token would reveal it
     *     (CKA_SENSITIVE false and CKA_EXTRACTABLE true): such a key is a file key in disguise
     */
    static PrivateKey nonExtractable(KeyStore token, String alias) throws GeneralSecurityException {
        if (!token.isKeyEntry(alias)) {
            throw new GeneralSecurityException("no key entry '" + alias + "' on the token; entries with a certificate: "
                    + Collections.list(token.aliases()));
        }
        Key key = token.getKey(alias, null);
        if (!(key instanceof PrivateKey)) {
            throw new GeneralSecurityException("entry '" + alias + "' is not a private key");
        }
        // SunPKCS11 encodes a private key exactly when the token hands out its value.
        if (key.getEncoded() != null) {
            throw new GeneralSecurityException("key '" + alias + "' is extractable from the token; generate it on the "
                    + "token with CKA_SENSITIVE=true and CKA_EXTRACTABLE=false");
        }
        return (PrivateKey) key;
    }

    /**
     * Proves that {@code key} is the private half of {@code publicKey} by signing a random challenge
     * on the token and verifying it in software.
     */
    static void requireMatch(PrivateKey key, PublicKey publicKey, Provider token) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new GeneralSecurityException("unsupported device key type " + key.getAlgorithm());
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm, token);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the device certificate on the token does not match its private key");
        }
    }
}
