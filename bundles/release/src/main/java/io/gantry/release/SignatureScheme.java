package io.gantry.release;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;

/**
 * The signature schemes a trust root may assign to a key. The scheme is fixed per key by the
 * signed trust root; it is never read from a signature or an envelope.
 */
public enum SignatureScheme {
    /** ECDSA over P-256 with SHA-256, ASN.1 DER signatures (the default). */
    ECDSA_P256_SHA256("ecdsa-p256-sha256"),
    /** ECDSA over P-256 with SHA-256, IEEE P1363 signatures (r||s, 64 bytes), as some HSMs emit. */
    ECDSA_P256_SHA256_P1363("ecdsa-p256-sha256-p1363"),
    /** RSASSA-PKCS1-v1_5 with SHA-256, keys of at least 2048 bits. */
    RSA_PKCS1_SHA256("rsa-pkcs1v15-sha256"),
    /** RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt, keys of at least 2048 bits. */
    RSA_PSS_SHA256("rsa-pss-sha256");

    private static final int MIN_RSA_BITS = 2048;
    private final String id;

    SignatureScheme(String id) {
        this.id = id;
    }

    /** @return the name used in trust-root JSON */
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException for an unknown scheme name */
    public static SignatureScheme fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown signature scheme " + id));
    }

    /** @return the scheme a freshly generated software key of this type uses by default */
    public static SignatureScheme defaultFor(PublicKey key) {
        return key instanceof RSAPublicKey ? RSA_PSS_SHA256 : ECDSA_P256_SHA256;
    }

    /**
     * @throws InvalidKeyException if the key does not fit the scheme (wrong type, curve other than
     *     P-256, RSA modulus under 2048 bits)
     */
    public void requireFits(PublicKey key) throws InvalidKeyException {
        if (isEcdsa()) {
            if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
                throw new InvalidKeyException(id + " needs an EC P-256 key");
            }
        } else if (!(key instanceof RSAPublicKey rsa) || rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new InvalidKeyException(id + " needs an RSA key of at least " + MIN_RSA_BITS + " bits");
        }
    }

    /** @return a JCA signature object configured for this scheme */
    public Signature newSignature() throws GeneralSecurityException {
        return switch (this) {
            case ECDSA_P256_SHA256 -> Signature.getInstance("SHA256withECDSA");
            case ECDSA_P256_SHA256_P1363 -> Signature.getInstance("SHA256withECDSAinP1363Format");
            case RSA_PKCS1_SHA256 -> Signature.getInstance("SHA256withRSA");
            case RSA_PSS_SHA256 -> {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield s;
            }
        };
    }

    /** @return whether {@code signature} verifies over {@code data}; malformed signatures are false */
    public boolean verifies(PublicKey key, byte[] data, byte[] signature) {
        try {
            requireFits(key);
            if (isEcdsa()) {
                return EcdsaP256.verifies((ECPublicKey) key, data, signature, this == ECDSA_P256_SHA256_P1363);
            }
            Signature s = newSignature();
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Undecodable signatures, wrong key types and provider errors are all "does not verify".
            return false;
        }
    }

    /** @return whether the scheme takes EC P-256 keys */
    public boolean isEcdsa() {
        return this == ECDSA_P256_SHA256 || this == ECDSA_P256_SHA256_P1363;
    }

    private static boolean isP256(ECParameterSpec p) {
        // P-256 is identified by its field size and order; SunEC and BC both expose these.
        return p.getCurve().getField().getFieldSize() == 256
                && p.getOrder().toString(16).equals("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    }
}
