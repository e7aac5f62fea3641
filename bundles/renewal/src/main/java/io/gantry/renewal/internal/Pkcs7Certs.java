package io.gantry.renewal.internal;

import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/**
 * Reads an EST certs-only answer: base64 (RFC 7030 §4.1.3 / §4.2.3, RFC 8951 §3.2) of a CMS
 * SignedData with no signers whose certificates field carries the certificates (RFC 5751
 * "certs-only"). The base64 may be wrapped in lines; any other content is refused.
 */
final class Pkcs7Certs {
    private static final int MAX_CERTS = 16;

    private Pkcs7Certs() {
    }

    /** @return the certificates in the order the server sent them (certs-only has no defined order) */
    static List<X509Certificate> parse(byte[] base64Body) throws RenewalException {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64Body);
        } catch (IllegalArgumentException e) {
            throw bad("body is not base64", e);
        }
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(der);
        } catch (CMSException | RuntimeException e) {
            // BC reports some malformed ASN.1 as unchecked exceptions.
            throw bad("body is not a CMS SignedData", e);
        }
        if (!cms.getSignerInfos().getSigners().isEmpty()) {
            throw bad("a certs-only answer carries no signers", null);
        }
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder h : cms.getCertificates().getMatches(null)) {
            if (out.size() == MAX_CERTS) {
                throw bad("more than " + MAX_CERTS + " certificates", null);
            }
            try {
                out.add(converter.getCertificate(h));
            } catch (CertificateException e) {
                throw bad("unreadable certificate", e);
            }
        }
        if (out.isEmpty()) {
            throw bad("no certificate in the answer", null);
        }
        return List.copyOf(out);
    }

    private static RenewalException bad(String why, Throwable cause) {
        return new RenewalException(RenewalErrorCode.BAD_RESPONSE, why, cause);
    }
}
