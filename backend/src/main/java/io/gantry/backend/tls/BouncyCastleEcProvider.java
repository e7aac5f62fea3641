package io.gantry.backend.tls;

import io.gantry.pki.JcaProviders;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;

/**
 * A JCA provider with only BouncyCastle's elliptic-curve public-key operations: ECDSA signatures,
 * EC and X25519 key generation, ECDH and X25519 key agreement, and the EC key factory (so that
 * keys read from key stores and certificates are BouncyCastle keys on BouncyCastle's shared curve
 * objects, whose precomputed multiples of the generator are then reused: with the JDK's key objects
 * every signature converted the key and precomputed them again). Not the XDH key factory:
 * BouncyCastle's does not take the {@code XECPublicKeySpec} SunJSSE builds a peer's X25519 share
 * with, so SunEC's decodes it and BouncyCastle's agreement takes that key. Installed first
 * ({@link #install()}), it moves exactly the arithmetic of a TLS handshake with P-256 certificates
 * to BouncyCastle (about twice as fast as SunEC on Java 17; docs/benchmarks.md, "Mutual-TLS
 * handshakes"), while SunJSSE, X.509 parsing, PKIX, key stores, digests and record ciphers
 * (AES-GCM with the JDK's intrinsics) stay the JDK's. Inserting the whole BouncyCastle provider
 * instead would also move AES-GCM, HMAC and the rest to BouncyCastle's slower pure-Java code.
 *
 * <p>Each service delegates to the service of the same name of the JVM's one private, unregistered
 * BouncyCastle instance ({@link JcaProviders#bouncyCastle()}).
 */
public final class BouncyCastleEcProvider extends Provider {
    /** The provider's name. */
    public static final String NAME = "GantryBC-EC";
    private static final long serialVersionUID = 1L;
    private static final List<String> SERVICES = List.of(
            "Signature.SHA256withECDSA", "Signature.SHA384withECDSA", "Signature.SHA512withECDSA",
            "KeyFactory.EC", "KeyPairGenerator.EC", "KeyAgreement.ECDH",
            "KeyPairGenerator.XDH", "KeyPairGenerator.X25519", "KeyAgreement.XDH", "KeyAgreement.X25519");

    /** Builds the provider; {@link #install()} registers one. */
    public BouncyCastleEcProvider() {
        super(NAME, "1.0", "BouncyCastle's ECDSA, EC/X25519 key generation and ECDH/X25519 agreement only");
        Provider bc = JcaProviders.bouncyCastle();
        for (String name : SERVICES) {
            int dot = name.indexOf('.');
            String type = name.substring(0, dot);
            String algorithm = name.substring(dot + 1);
            Service target = bc.getService(type, algorithm);
            if (target == null) {
                throw new IllegalStateException("BouncyCastle offers no " + name);
            }
            putService(new Delegate(this, type, algorithm, target));
        }
    }

    /**
     * Makes this provider the first of the JVM, once; later calls do nothing.
     *
     * @return true if this call installed it
     */
    public static synchronized boolean install() {
        if (Security.getProvider(NAME) != null) {
            return false;
        }
        Security.insertProviderAt(new BouncyCastleEcProvider(), 1);
        return true;
    }

    /** A service of this provider answered by BouncyCastle's service of the same name. */
    private static final class Delegate extends Service {
        private final Service target;

        Delegate(Provider owner, String type, String algorithm, Service target) {
            super(owner, type, algorithm, target.getClassName(), null, null);
            this.target = target;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            return target.newInstance(constructorParameter);
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            return target.supportsParameter(parameter);
        }
    }
}
