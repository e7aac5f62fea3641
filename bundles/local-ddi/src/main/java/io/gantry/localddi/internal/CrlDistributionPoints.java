package io.gantry.localddi.internal;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The HTTP(S) CRL distribution points of a certificate (RFC 5280 §4.2.1.13), as the backend's PKI
 * writes them into every device certificate ({@code <revocation base>/crl/<issuer key id>.crl}).
 * Points with a {@code cRLIssuer} (indirect CRLs) and non-HTTP names (LDAP) are skipped: this
 * endpoint reads only CRLs signed by the certificate's own issuer.
 */
final class CrlDistributionPoints {
    private CrlDistributionPoints() {
    }

    /** @return the URLs, in the certificate's order; empty if it names none this endpoint can fetch */
    static List<URI> of(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return List.of();
        }
        List<URI> out = new ArrayList<>();
        try {
            CRLDistPoint cdp = CRLDistPoint.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            for (DistributionPoint dp : cdp.getDistributionPoints()) {
                DistributionPointName name = dp.getDistributionPoint();
                if (dp.getCRLIssuer() != null || name == null || name.getType() != DistributionPointName.FULL_NAME) {
                    continue;
                }
                for (GeneralName g : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (g.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        URI uri = URI.create(ASN1IA5String.getInstance(g.getName()).getString());
                        if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
                            out.add(uri);
                        }
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            // A malformed extension names nothing usable: the status is unknown, and the caller refuses.
            return List.of();
        }
        return out;
    }
}
