package io.gantry.backend.est;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataGenerator;

/**
 * The EST response body (RFC 7030 4.1.3 and 4.2.3): a degenerate "certs-only" CMS SignedData with
 * no signers and no content, DER, base64 with CRLF line breaks (RFC 2045).
 */
final class CertsOnlyPkcs7 {
    /** Content type of every successful EST response. */
    static final String MEDIA_TYPE = "application/pkcs7-mime; smime-type=certs-only";

    private CertsOnlyPkcs7() {
    }

    /** @return the base64 body carrying {@code certificates} */
    static byte[] base64(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(certificates));
            byte[] der = generator.generate(new CMSAbsentContent(), false).getEncoded(ASN1Encoding.DER);
            return (Base64.getMimeEncoder(64, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot encode certificates the CA itself produced", e);
        }
    }
}
