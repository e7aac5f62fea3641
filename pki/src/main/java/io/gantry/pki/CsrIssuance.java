package io.gantry.pki;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Issues a device certificate from a PKCS#10 request. The request must be signed by the key it
 * carries (proof of possession), carry a P-256 key, and name exactly the requested device id as
 * its only CN. Nothing else from the request is copied: subject and extensions are the CA's own
 * (THREATS.md, "renewal abuse": a CSR for another subject).
 */
public final class CsrIssuance {
    private static final ECParameterSpec P256 = ((ECPublicKey) EcKeys.generateP256().getPublic()).getParams();

    private CsrIssuance() {
    }

    /**
     * @param ca the issuing (intermediate) CA
     * @param csr the device's request
     * @param deviceId the id the caller authorised the request for
     * @return the chain, device certificate first
     * @throws CsrRejectedException if the request's signature, key or subject is wrong
     */
    public static List<X509Certificate> issueDevice(CertificateAuthority ca, PKCS10CertificationRequest csr, String deviceId)
            throws GeneralSecurityException {
        SubjectNames.requireValidId(deviceId);
        PublicKey key = verifiedKey(csr);
        RDN[] cns = csr.getSubject().getRDNs(BCStyle.CN);
        if (cns.length != 1 || cns[0].isMultiValued()) {
            throw new CsrRejectedException("CSR subject must carry exactly one CN");
        }
        String cn = IETFUtils.valueToString(cns[0].getFirst().getValue());
        if (!cn.equals(deviceId)) {
            throw new CsrRejectedException("CSR subject CN " + cn + " does not match device id " + deviceId);
        }
        return ca.issueDevice(deviceId, key);
    }

    private static PublicKey verifiedKey(PKCS10CertificationRequest csr) throws GeneralSecurityException {
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded()));
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new CsrRejectedException("CSR key is not an EC public key");
        }
        if (!(key instanceof ECPublicKey ec) || !ec.getParams().getCurve().equals(P256.getCurve())
                || !ec.getParams().getOrder().equals(P256.getOrder())) {
            throw new CsrRejectedException("CSR key must be ECDSA P-256");
        }
        try {
            if (!csr.isSignatureValid(JcaProviders.verifier().build(key))) {
                throw new CsrRejectedException("CSR signature does not verify");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new CsrRejectedException("CSR signature cannot be checked: " + e.getMessage());
        }
        return key;
    }
}
