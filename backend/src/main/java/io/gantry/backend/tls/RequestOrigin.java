package io.gantry.backend.tls;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;

/**
 * Who sent a request, as a security event names them: the subject DN (RFC 2253) of the verified
 * client certificate and the client's IP address.
 *
 * @param subject the leaf certificate's subject DN, {@code null} without a certificate
 * @param remoteAddress the client's IP address, {@code null} if unknown
 */
public record RequestOrigin(String subject, String remoteAddress) {
    /** Request property under which {@link ClientCertificateFilter} leaves the origin of an accepted request. */
    public static final String PROPERTY = RequestOrigin.class.getName();

    /** @return the origin of a servlet request */
    public static RequestOrigin of(HttpServletRequest request) {
        return new RequestOrigin(subjectOf((X509Certificate[]) request.getAttribute(ClientCertificateFilter.CERTIFICATE_ATTRIBUTE)),
                request.getRemoteAddr());
    }

    /** @return the leaf's subject DN in RFC 2253 form, or {@code null} for no chain */
    public static String subjectOf(X509Certificate[] chain) {
        return chain == null || chain.length == 0 ? null : chain[0].getSubjectX500Principal().getName();
    }
}
