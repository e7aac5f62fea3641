package io.gantry.release;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;

/** Key ids: the hex SHA-256 of a public key's DER SubjectPublicKeyInfo (what {@code openssl pkey -pubout -outform DER | sha256sum} prints). */
public final class KeyIds {
    private KeyIds() {
    }

    /** @return the key id of {@code key} */
    public static String of(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
