package io.gantry.release;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Produces a detached signature over the exact metadata bytes. */
public final class ReleaseSigning {
    private ReleaseSigning() {
    }

    /**
     * @param metadata the canonical metadata bytes
     * @param key the signer's private key (software or PKCS#11)
     * @param publicKey its public key, which names the signature
     * @return the signature, self-checked against {@code publicKey}
     * @throws GeneralSecurityException if signing fails or the pair does not match
     */
    public static ReleaseSignature sign(byte[] metadata, PrivateKey key, PublicKey publicKey)
            throws GeneralSecurityException {
        Signature s = SignatureAlgorithms.forKey(key);
        s.initSign(key);
        s.update(metadata);
        byte[] value = s.sign();
        Signature check = SignatureAlgorithms.forKey(publicKey);
        check.initVerify(publicKey);
        check.update(metadata);
        if (!check.verify(value)) {
            throw new GeneralSecurityException("private key does not match the given public key");
        }
        return new ReleaseSignature(KeyIds.of(publicKey), value);
    }
}
