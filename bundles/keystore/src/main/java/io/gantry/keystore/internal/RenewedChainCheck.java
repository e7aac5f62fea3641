package io.gantry.keystore.internal;

import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * Checks an issued chain before it may replace the device identity: the leaf carries the pending
 * key, names the same subject, is valid now and may authenticate a TLS client, and the chain leads
 * to a configured trust anchor (PKIX, RFC 5280 §6). Revocation is not checked here: the CA has just
 * issued the certificate, and the backend checks revocation on every connection.
 */
final class RenewedChainCheck {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private RenewedChainCheck() {
    }

    /** @return the chain to store: the issued certificate and its issuers, without trust anchors */
    static List<X509Certificate> check(List<X509Certificate> chain, PublicKey pendingKey, X500Principal subject,
            KeyStore trustStore, Instant now) throws RenewalException {
        if (chain.isEmpty()) {
            throw new RenewalException(RenewalErrorCode.UNTRUSTED_CHAIN, "no certificate was issued", null);
        }
        X509Certificate leaf = chain.get(0);
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), pendingKey.getEncoded())) {
            throw new RenewalException(RenewalErrorCode.KEY_MISMATCH,
                    "issued certificate " + leaf.getSerialNumber().toString(16) + " carries another key than the pending one", null);
        }
        if (!leaf.getSubjectX500Principal().equals(subject)) {
            throw new RenewalException(RenewalErrorCode.SUBJECT_MISMATCH,
                    "issued for " + leaf.getSubjectX500Principal() + ", expected " + subject, null);
        }
        try {
            leaf.checkValidity(Date.from(now));
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku != null && !eku.contains(CLIENT_AUTH)) {
                throw new RenewalException(RenewalErrorCode.NOT_VALID, "issued certificate lacks clientAuth usage", null);
            }
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new RenewalException(RenewalErrorCode.NOT_VALID, "issued certificate is not valid at " + now
                    + " (" + leaf.getNotBefore().toInstant() + " .. " + leaf.getNotAfter().toInstant() + ")", e);
        } catch (java.security.cert.CertificateParsingException e) {
            throw new RenewalException(RenewalErrorCode.NOT_VALID, "unreadable extended key usage", e);
        }
        List<X509Certificate> path = withoutAnchors(chain, trustStore);
        try {
            PKIXParameters params = new PKIXParameters(trustStore);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (GeneralSecurityException e) {
            throw new RenewalException(RenewalErrorCode.UNTRUSTED_CHAIN,
                    "issued chain does not lead to the trust anchor: " + e.getMessage(), e);
        }
        return path;
    }

    private static List<X509Certificate> withoutAnchors(List<X509Certificate> chain, KeyStore trustStore)
            throws RenewalException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (X509Certificate c : chain) {
                if (trustStore.getCertificateAlias(c) == null) {
                    out.add(c);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new RenewalException(RenewalErrorCode.UNTRUSTED_CHAIN, "unreadable trust store", e);
        }
        if (out.isEmpty() || out.get(0) != chain.get(0)) {
            throw new RenewalException(RenewalErrorCode.UNTRUSTED_CHAIN, "the issued certificate is a trust anchor", null);
        }
        return Collections.unmodifiableList(out);
    }
}
