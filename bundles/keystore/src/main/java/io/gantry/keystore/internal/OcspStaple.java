package io.gantry.keystore.internal;

import io.gantry.api.tls.BackendChainCode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Verifies a stapled OCSP response (RFC 6960) for the backend's server certificate. JSSE hands
 * staples to a trust manager but checks them only inside its own PKIX revocation checker, whose
 * time is not the injected clock; so the response is verified here with bcpkix: signed by the
 * issuer or by a delegated responder that the issuer certified for id-kp-OCSPSigning (4.2.2.2),
 * about this serial under this issuer (CertID), and fresh at {@code now} (4.2.2.1).
 */
final class OcspStaple {
    /** What a valid staple says. */
    enum Status { GOOD, REVOKED, UNKNOWN }

    /** Tolerated clock difference between responder and gateway. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private OcspStaple() {
    }

    /** @throws BackendChainRejectedException BAD_STAPLE or STALE_STAPLE when the staple proves nothing */
    static Status check(byte[] der, X509Certificate leaf, X509Certificate issuer, Instant now)
            throws BackendChainRejectedException {
        try {
            OCSPResp resp = new OCSPResp(der);
            if (resp.getStatus() != OCSPResp.SUCCESSFUL || !(resp.getResponseObject() instanceof BasicOCSPResp basic)) {
                throw new BackendChainRejectedException(BackendChainCode.BAD_STAPLE, "OCSP response status " + resp.getStatus());
            }
            if (!signedByIssuerOrDelegate(basic, issuer, now)) {
                throw new BackendChainRejectedException(BackendChainCode.BAD_STAPLE,
                        "staple not signed by " + issuer.getSubjectX500Principal() + " or a responder it certified");
            }
            SingleResp single = about(basic, leaf, new JcaX509CertificateHolder(issuer));
            Date thisUpdate = single.getThisUpdate();
            Date nextUpdate = single.getNextUpdate();
            if (thisUpdate.toInstant().isAfter(now.plus(SKEW))) {
                throw new BackendChainRejectedException(BackendChainCode.STALE_STAPLE, "staple thisUpdate " + thisUpdate.toInstant() + " is after " + now);
            }
            // A staple without nextUpdate could be replayed forever: it counts as stale.
            if (nextUpdate == null || !now.isBefore(nextUpdate.toInstant().plus(SKEW))) {
                throw new BackendChainRejectedException(BackendChainCode.STALE_STAPLE, "staple nextUpdate "
                        + (nextUpdate == null ? "absent" : nextUpdate.toInstant()) + " is not after " + now);
            }
            CertificateStatus status = single.getCertStatus();
            return status == CertificateStatus.GOOD ? Status.GOOD
                    : status instanceof RevokedStatus ? Status.REVOKED : Status.UNKNOWN;
        } catch (BackendChainRejectedException e) {
            throw e; // a CertificateException, so it must pass before the catch below rewords it
        } catch (IOException | OCSPException | GeneralSecurityException | OperatorCreationException e) {
            throw new BackendChainRejectedException(BackendChainCode.BAD_STAPLE, "unreadable staple: " + e.getMessage());
        }
    }

    private static boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509Certificate issuer, Instant now)
            throws OCSPException, OperatorCreationException, GeneralSecurityException {
        if (verifies(basic, issuer.getPublicKey())) {
            return true;
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate responder = converter.getCertificate(holder);
            List<String> eku = responder.getExtendedKeyUsage();
            if (!responder.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || eku == null
                    || !eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                continue;
            }
            try {
                responder.verify(issuer.getPublicKey());
                responder.checkValidity(Date.from(now));
            } catch (GeneralSecurityException notCertifiedNow) {
                continue;
            }
            if (verifies(basic, responder.getPublicKey())) {
                return true;
            }
        }
        return false;
    }

    private static boolean verifies(BasicOCSPResp basic, PublicKey key) throws OperatorCreationException {
        try {
            return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        } catch (OCSPException wrongKeyType) {
            return false;
        }
    }

    private static SingleResp about(BasicOCSPResp basic, X509Certificate leaf, X509CertificateHolder issuer)
            throws OperatorCreationException, OCSPException, BackendChainRejectedException {
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        for (SingleResp r : basic.getResponses()) {
            if (r.getCertID().getSerialNumber().equals(leaf.getSerialNumber()) && r.getCertID().matchesIssuer(issuer, digests)) {
                return r;
            }
        }
        throw new BackendChainRejectedException(BackendChainCode.BAD_STAPLE, "staple is not about serial " + leaf.getSerialNumber().toString(16));
    }
}
