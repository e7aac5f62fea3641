package io.gantry.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Generates ECDSA P-256 (secp256r1) key pairs, the only key type this CA issues for. */
public final class EcKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private EcKeys() {
    }

    /** @return a fresh P-256 key pair */
    public static KeyPair generateP256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secp256r1 is mandatory in every JDK", e);
        }
    }
}
