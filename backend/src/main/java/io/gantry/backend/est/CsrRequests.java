package io.gantry.backend.est;

import io.gantry.backend.failure.EstRefusal;
import io.gantry.backend.http.ApiException;
import io.gantry.pki.CertificateProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Reads and checks the PKCS#10 request of an EST enroll (RFC 7030 4.2.1): parse, key type, proof
 * of possession, subject. Only the public key is taken from a request; the CA writes subject and
 * extensions itself.
 */
final class CsrRequests {
    private CsrRequests() {
    }

    /**
     * Parses the body: base64 DER as RFC 7030 specifies ({@code Content-Transfer-Encoding: base64}),
     * also raw DER and PEM, which some clients send.
     *
     * @throws ApiException 400 {@link EstRefusal#MALFORMED_CSR}
     */
    static PKCS10CertificationRequest parse(byte[] body) {
        try {
            byte[] der = isDer(body) ? body : Base64.getMimeDecoder().decode(stripPem(new String(body, StandardCharsets.US_ASCII)));
            PKCS10CertificationRequest csr = new PKCS10CertificationRequest(der);
            csr.getSubject();
            return csr;
        } catch (IllegalArgumentException | IOException | ClassCastException e) {
            throw new ApiException(EstRefusal.MALFORMED_CSR, "the body is not a base64 PKCS#10 certification request");
        }
    }

    /**
     * Checks the key is ECDSA P-256 and the request is signed by it (proof of possession).
     *
     * @return the requested public key
     * @throws ApiException 400 {@link EstRefusal#KEY_TYPE_NOT_ALLOWED} or {@link EstRefusal#CSR_SIGNATURE_INVALID}
     */
    static PublicKey verifiedP256Key(PKCS10CertificationRequest csr, ContentVerifierBuilder verifiers) {
        AlgorithmIdentifier alg = csr.getSubjectPublicKeyInfo().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm()) || alg.getParameters() == null
                || !(alg.getParameters().toASN1Primitive() instanceof ASN1ObjectIdentifier curve)
                || !SECObjectIdentifiers.secp256r1.equals(curve)) {
            throw new ApiException(EstRefusal.KEY_TYPE_NOT_ALLOWED, "the CSR key must be ECDSA P-256 (named curve secp256r1)");
        }
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new ApiException(EstRefusal.KEY_TYPE_NOT_ALLOWED, "the CSR key is not a valid P-256 point");
        }
        boolean valid;
        try {
            valid = csr.isSignatureValid(verifiers.build(key));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new ApiException(EstRefusal.CSR_SIGNATURE_INVALID, "the CSR is not signed by the key it carries");
        }
        return key;
    }

    /**
     * The subject rule: exactly {@code CN=<id>}, or exactly {@code CN=<id>,OU=devices,O=Gantry} (in
     * either RDN order, as openssl's {@code -subj "/CN=<id>/OU=devices/O=Gantry"} writes it).
     *
     * @throws ApiException 403 {@link EstRefusal#CSR_SUBJECT_MISMATCH}
     */
    static void requireSubject(PKCS10CertificationRequest csr, String deviceId) {
        X500Name subject = csr.getSubject();
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        boolean cnOk = cns.length == 1 && !cns[0].isMultiValued()
                && IETFUtils.valueToString(cns[0].getFirst().getValue()).equals(deviceId);
        int rdns = subject.getRDNs().length;
        boolean rest = rdns == 1 || (rdns == 3 && single(subject, BCStyle.OU, CertificateProfile.DEVICES_OU)
                && single(subject, BCStyle.O, CertificateProfile.ORGANISATION));
        if (!cnOk || !rest) {
            throw new ApiException(EstRefusal.CSR_SUBJECT_MISMATCH, "the CSR subject must be CN=" + deviceId
                    + " or CN=" + deviceId + ",OU=devices,O=Gantry, not " + subject);
        }
    }

    private static boolean single(X500Name subject, ASN1ObjectIdentifier type, String value) {
        RDN[] r = subject.getRDNs(type);
        return r.length == 1 && !r[0].isMultiValued() && IETFUtils.valueToString(r[0].getFirst().getValue()).equals(value);
    }

    /** A DER SEQUENCE with a long-form length, as every CSR is (over 127 bytes). */
    private static boolean isDer(byte[] body) {
        return body.length > 2 && body[0] == 0x30 && (body[1] & 0xff) >= 0x81 && (body[1] & 0xff) <= 0x83;
    }

    private static String stripPem(String text) {
        return text.replaceAll("-----(BEGIN|END) (NEW )?CERTIFICATE REQUEST-----", "");
    }

    /** Builds the verifier of a CSR signature (the JCA provider is chosen by the caller). */
    @FunctionalInterface
    interface ContentVerifierBuilder {
        ContentVerifierProvider build(PublicKey key) throws OperatorCreationException;
    }
}
