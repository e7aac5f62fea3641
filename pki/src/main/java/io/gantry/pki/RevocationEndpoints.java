package io.gantry.pki;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;

/**
 * Where relying parties find revocation status, written into every end-entity certificate: the
 * CRL distribution point {@code <base>/crl/<issuer-key-id>.crl} and the OCSP responder
 * {@code <base>/ocsp} (authority information access). Plain HTTP is the norm for both (RFC 5280
 * 4.2.1.13, RFC 6960 Appendix A): the answers are signed, and TLS would need revocation checking
 * of its own.
 *
 * @param base {@code http://host:port}, without a path
 */
public record RevocationEndpoints(URI base) {
    /** Port of the backend's plain-HTTP revocation connector when the PKI names none. */
    public static final int DEFAULT_PORT = 18080;
    /** Base URL when none is given: the demo's backend on loopback. */
    public static final RevocationEndpoints DEFAULT = of("http://127.0.0.1:" + DEFAULT_PORT);

    /** @throws IllegalArgumentException unless {@code base} is {@code http://host:port} without path, query or user info */
    public RevocationEndpoints {
        Objects.requireNonNull(base, "base");
        if (!"http".equals(base.getScheme()) || base.getHost() == null || base.getPort() < 1
                || !(base.getRawPath() == null || base.getRawPath().isEmpty()) || base.getRawQuery() != null
                || base.getRawUserInfo() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException("revocation URL must be http://host:port without a path: " + base);
        }
    }

    /** @return the endpoints at {@code base} (e.g. {@code http://127.0.0.1:18080}) */
    public static RevocationEndpoints of(String base) {
        return new RevocationEndpoints(URI.create(base.strip()));
    }

    /** @return the CRL URL of certificates issued by the CA whose subject key id is {@code issuerKeyId} */
    public URI crl(String issuerKeyId) {
        return base.resolve("/crl/" + issuerKeyId + ".crl");
    }

    /** @return the OCSP responder URL */
    public URI ocsp() {
        return base.resolve("/ocsp");
    }

    /**
     * @return the lower-case hex subject key identifier of {@code ca}, the name of its CRL
     * @throws IllegalArgumentException if {@code ca} has no subject key identifier
     */
    public static String keyIdOf(X509Certificate ca) {
        byte[] ext = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            throw new IllegalArgumentException("no subject key identifier in " + ca.getSubjectX500Principal());
        }
        byte[] ski = ASN1OctetString.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getOctets();
        return HexFormat.of().formatHex(ski);
    }
}
