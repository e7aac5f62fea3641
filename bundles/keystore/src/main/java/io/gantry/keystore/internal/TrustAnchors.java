package io.gantry.keystore.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** The CA certificates a gateway trusts for the backend's server certificate, from one PEM file. */
final class TrustAnchors {
    private TrustAnchors() {
    }

    /**
     * @return an in-memory trust store holding every certificate in {@code pem}
     * @throws GeneralSecurityException if the file holds no certificate
     */
    static KeyStore load(Path pem) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> anchors;
        try (InputStream in = Files.newInputStream(pem)) {
            anchors = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (anchors.isEmpty()) {
            throw new GeneralSecurityException("no trust anchor in " + pem);
        }
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (Certificate c : anchors) {
            ts.setCertificateEntry("anchor-" + i++, c);
        }
        return ts;
    }
}
