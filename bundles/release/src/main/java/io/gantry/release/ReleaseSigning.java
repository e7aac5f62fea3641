package io.gantry.release;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Produces detached signatures over exact bytes (release metadata, trust roots). */
public final class ReleaseSigning {
    private ReleaseSigning() {
    }

    /** Signs with the default scheme of the key type (ECDSA P-256, or RSA-PSS for RSA keys). */
    public static ReleaseSignature sign(byte[] data, PrivateKey key, PublicKey publicKey) throws GeneralSecurityException {
        return sign(data, key, publicKey, SignatureScheme.defaultFor(publicKey));
    }

    /**
     * @param data the exact bytes to sign
     * @param key the signer's private key (software or PKCS#11)
     * @param publicKey its public key, which names the signature
     * @param scheme the scheme the trust root assigns to this key
     * @return the signature, self-checked against {@code publicKey}
     * @throws GeneralSecurityException if signing fails or the pair does not match
     */
    public static ReleaseSignature sign(byte[] data, PrivateKey key, PublicKey publicKey, SignatureScheme scheme)
            throws GeneralSecurityException {
        scheme.requireFits(publicKey);
        Signature s = scheme.newSignature();
        s.initSign(key);
        s.update(data);
        byte[] value = s.sign();
        if (!scheme.verifies(publicKey, data, value)) {
            throw new GeneralSecurityException("private key does not match the given public key");
        }
        return new ReleaseSignature(KeyIds.of(publicKey), value);
    }
}
