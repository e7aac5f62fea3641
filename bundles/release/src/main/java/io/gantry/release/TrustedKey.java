package io.gantry.release;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * A key named by a trust root: its id, a human name, the only scheme it may sign with, and a
 * canonical identity used to count each public key once, whatever encoding or key id it appears
 * under (THREATS.md: threshold evasion).
 */
public record TrustedKey(String keyId, String name, SignatureScheme scheme, PublicKey publicKey) {

    /** @return an encoding-independent identity of the public key */
    public String canonical() {
        if (publicKey instanceof ECPublicKey ec) {
            return "ec:" + ec.getW().getAffineX().toString(16) + ":" + ec.getW().getAffineY().toString(16);
        }
        if (publicKey instanceof RSAPublicKey rsa) {
            return "rsa:" + rsa.getModulus().toString(16) + ":" + rsa.getPublicExponent().toString(16);
        }
        return publicKey.getAlgorithm() + ":" + java.util.HexFormat.of().formatHex(publicKey.getEncoded());
    }
}
