package io.gantry.pki;

import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/** Adds the CRL distribution point (RFC 5280 4.2.1.13) and OCSP access method (4.2.2.1) to a certificate. */
final class RevocationExtensions {
    private RevocationExtensions() {
    }

    static void addTo(X509v3CertificateBuilder b, RevocationEndpoints endpoints, String issuerKeyId) throws CertIOException {
        GeneralName crl = new GeneralName(GeneralName.uniformResourceIdentifier, endpoints.crl(issuerKeyId).toString());
        DistributionPoint point = new DistributionPoint(
                new DistributionPointName(DistributionPointName.FULL_NAME, new GeneralNames(crl)), null, null);
        b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {point}));
        GeneralName ocsp = new GeneralName(GeneralName.uniformResourceIdentifier, endpoints.ocsp().toString());
        b.addExtension(Extension.authorityInfoAccess, false,
                new AuthorityInformationAccess(new AccessDescription(AccessDescription.id_ad_ocsp, ocsp)));
    }
}
