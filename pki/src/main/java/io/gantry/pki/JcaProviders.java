package io.gantry.pki;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * The JCA provider of the CA's ECDSA P-256 signing and of CSR signature checks: BouncyCastle, a
 * private instance never registered globally, about 5x faster than SunEC here (docs/benchmarks.md,
 * "EST issuance"). {@code -Dgantry.pki.jcaProvider=JDK}, read once at start, selects the JDK's
 * default providers instead; it exists so the benchmark can compare both in the same code path.
 */
public final class JcaProviders {
    /** System property naming the provider: {@code BC} (default) or {@code JDK}. */
    public static final String PROPERTY = "gantry.pki.jcaProvider";
    /** The BouncyCastle instance (also used where BC is required for strict parsing). */
    static final Provider BC = new BouncyCastleProvider();
    private static final Provider ECDSA = "JDK".equals(System.getProperty(PROPERTY)) ? null : BC;

    private JcaProviders() {
    }

    /**
     * @return the one private BouncyCastle instance of this JVM, never registered globally: every
     *     user of BouncyCastle's JCA services (CRL and OCSP signing, the TLS EC provider) shares it, as
     *     each instance holds its own table of a few thousand services in the heap
     */
    public static Provider bouncyCastle() {
        return BC;
    }

    /** @return the name of the provider in use: {@code BC} or {@code JDK} */
    public static String inUse() {
        return ECDSA == null ? "JDK" : "BC";
    }

    /** @return a SHA256withECDSA signer builder on the provider in use */
    public static JcaContentSignerBuilder signer() {
        JcaContentSignerBuilder b = new JcaContentSignerBuilder("SHA256withECDSA");
        return ECDSA == null ? b : b.setProvider(ECDSA);
    }

    /** @return a signature verifier builder on the provider in use */
    public static JcaContentVerifierProviderBuilder verifier() {
        JcaContentVerifierProviderBuilder b = new JcaContentVerifierProviderBuilder();
        return ECDSA == null ? b : b.setProvider(ECDSA);
    }
}
