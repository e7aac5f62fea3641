package io.gantry.release;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One detached signature over the metadata bytes.
 *
 * @param keyId hex SHA-256 of the signer's DER SubjectPublicKeyInfo ({@link KeyIds})
 * @param value the signature: ASN.1 DER ECDSA for EC keys, as {@code openssl dgst} writes it
 */
public record ReleaseSignature(String keyId, byte[] value) {
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");

    /** @throws IllegalArgumentException on a malformed key id or an empty signature */
    public ReleaseSignature {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("keyId must be 64 lower-case hex digits");
        }
        if (value == null || value.length == 0 || value.length > 1024) {
            throw new IllegalArgumentException("signature must be 1..1024 bytes");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReleaseSignature s && s.keyId.equals(keyId) && Arrays.equals(s.value, value);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "ReleaseSignature[" + keyId + ", " + HexFormat.of().formatHex(value, 0, Math.min(8, value.length)) + "...]";
    }
}
