package io.gantry.release;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;

/**
 * Chooses the signature algorithm from the key, never from the signed data or the envelope
 * (THREATS.md: "algorithm taken from the pinned key"). EC keys use ECDSA with SHA-256 and DER
 * signatures, the form {@code openssl dgst -sha256 -sign} writes.
 */
final class SignatureAlgorithms {
    private SignatureAlgorithms() {
    }

    static Signature forKey(Key key) throws GeneralSecurityException {
        return switch (key.getAlgorithm()) {
            case "EC" -> Signature.getInstance("SHA256withECDSA");
            default -> throw new NoSuchAlgorithmException("release keys must be EC (P-256); got " + key.getAlgorithm());
        };
    }
}
