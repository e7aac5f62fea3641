package io.gantry.pki;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * The intermediates the root has retired, read from its signed CRL
 * ({@link IntermediateRotation#retiredCrl}). A client chain that contains one of them is refused
 * even though it still chains to the root. The CRL's next-update time is not enforced: a stale
 * list still names intermediates that must never be trusted again.
 */
public final class RetiredIntermediates {
    /** No intermediate retired. */
    public static final RetiredIntermediates NONE = new RetiredIntermediates(null, Set.of());
    private final X500Principal root;
    private final Set<BigInteger> serials;

    private RetiredIntermediates(X500Principal root, Set<BigInteger> serials) {
        this.root = root;
        this.serials = Set.copyOf(serials);
    }

    /**
     * Loads and verifies the CRL; a missing file means nothing is retired.
     *
     * @param crlFile the root-signed CRL
     * @param rootCertificate the root that must have signed it
     * @throws GeneralSecurityException if the CRL is not issued and signed by {@code rootCertificate}
     */
    public static RetiredIntermediates load(Path crlFile, X509Certificate rootCertificate) throws IOException, GeneralSecurityException {
        if (crlFile == null || !Files.exists(crlFile)) {
            return NONE;
        }
        X509CRL crl;
        try (InputStream in = Files.newInputStream(crlFile)) {
            crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
        if (!crl.getIssuerX500Principal().equals(rootCertificate.getSubjectX500Principal())) {
            throw new GeneralSecurityException(crlFile + " is not issued by the root " + rootCertificate.getSubjectX500Principal());
        }
        crl.verify(rootCertificate.getPublicKey());
        Set<BigInteger> serials = new HashSet<>();
        if (crl.getRevokedCertificates() != null) {
            for (X509CRLEntry e : crl.getRevokedCertificates()) {
                serials.add(e.getSerialNumber());
            }
        }
        return new RetiredIntermediates(rootCertificate.getSubjectX500Principal(), serials);
    }

    /** @return whether any certificate in {@code chain} is a retired intermediate */
    public boolean retires(X509Certificate[] chain) {
        if (chain == null || serials.isEmpty()) {
            return false;
        }
        for (X509Certificate c : chain) {
            if (c.getIssuerX500Principal().equals(root) && serials.contains(c.getSerialNumber())) {
                return true;
            }
        }
        return false;
    }

    /** @return how many intermediates are retired */
    public int size() {
        return serials.size();
    }
}
