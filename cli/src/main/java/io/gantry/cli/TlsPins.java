package io.gantry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Pins for the trust root's {@code tls} object: SHA-256 of each CA certificate's DER SubjectPublicKeyInfo. */
final class TlsPins {
    private TlsPins() {
    }

    /**
     * @return the pins of every certificate in the PEM files
     * @throws IllegalArgumentException if a file holds no certificate or a certificate is not a CA
     */
    static Set<String> of(List<Path> pemFiles) throws IOException, GeneralSecurityException {
        Set<String> pins = new TreeSet<>();
        for (Path pem : pemFiles) {
            List<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(pem)) {
                certs = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            for (Certificate c : certs) {
                // A server certificate's pin would break at its next renewal: only CA keys are pinned.
                if (((X509Certificate) c).getBasicConstraints() < 0) {
                    throw new IllegalArgumentException(((X509Certificate) c).getSubjectX500Principal() + " in " + pem
                            + " is not a CA certificate");
                }
                pins.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded())));
            }
        }
        return pins;
    }
}
