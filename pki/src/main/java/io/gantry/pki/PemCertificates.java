package io.gantry.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Reads and writes X.509 certificates as PEM ("CERTIFICATE" blocks), the form openssl and curl use. */
public final class PemCertificates {
    private PemCertificates() {
    }

    /** @return the PEM text of {@code certificates}, in order */
    public static String toPem(List<X509Certificate> certificates) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (X509Certificate c : certificates) {
                pem.writeObject(c);
            }
        }
        return text.toString();
    }

    /** Writes {@code certificates} to a new file; refuses to replace an existing one. */
    public static void write(Path file, List<X509Certificate> certificates) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, toPem(certificates), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
    }

    /** @return every certificate in {@code file}, in order */
    public static List<X509Certificate> read(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certs.isEmpty()) {
                throw new GeneralSecurityException(file + " holds no certificate");
            }
            return certs;
        }
    }

    /** @return a trust store holding every certificate in {@code pemFile} as a trusted entry */
    public static KeyStore trustStore(Path pemFile) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (X509Certificate c : read(pemFile)) {
            ks.setCertificateEntry("anchor-" + i++, c);
        }
        return ks;
    }
}
