package io.gantry.keystore.internal;

import io.gantry.api.tls.BackendChainCode;
import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.tls.RevocationPolicy;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's checks of a backend server chain after PKIX validation (docs/gateway.md, TLS
 * policy): CA key pins, then the server certificate's revocation, staple first, then OCSP/CRL.
 * Without a policy from the trust root the provisioning default applies: no pins beyond the
 * configured trust anchor, revocation soft-fail.
 */
final class BackendChainCheck {
    private final KeyStore anchors;

    BackendChainCheck(KeyStore anchors) {
        this.anchors = anchors;
    }

    /**
     * @param chain the server's chain, leaf first, already PKIX-valid against {@code anchors}
     * @param staple the stapled OCSP response for the leaf, or {@code null}
     * @throws BackendChainRejectedException with the reason when the policy refuses the chain
     */
    void check(List<X509Certificate> chain, byte[] staple, Optional<BackendTlsPolicy> policy, Instant now)
            throws BackendChainRejectedException {
        List<X509Certificate> cas = caPath(chain, now);
        if (policy.isPresent()) {
            requirePin(cas, policy.get());
        }
        RevocationPolicy mode = policy.map(BackendTlsPolicy::revocation).orElse(RevocationPolicy.SOFT_FAIL);
        boolean hard = mode == RevocationPolicy.HARD_FAIL;
        X509Certificate leaf = chain.get(0);
        if (staple != null && staple.length > 0 && !cas.isEmpty()) {
            try {
                OcspStaple.Status s = OcspStaple.check(staple, leaf, cas.get(0), now);
                if (s == OcspStaple.Status.REVOKED) {
                    throw new BackendChainRejectedException(BackendChainCode.REVOKED, "stapled OCSP says " + leaf.getSubjectX500Principal() + " is revoked");
                }
                if (s == OcspStaple.Status.GOOD || !hard) {
                    return;
                }
                throw new BackendChainRejectedException(BackendChainCode.UNKNOWN_STATUS, "stapled OCSP does not know " + leaf.getSubjectX500Principal());
            } catch (BackendChainRejectedException e) {
                // A present but unusable staple refuses under hard-fail; soft-fail goes on to fetch.
                if (hard || e.code() == BackendChainCode.REVOKED) {
                    throw e;
                }
            }
        }
        FetchedRevocation.Outcome fetched = FetchedRevocation.check(chain, anchors, now);
        if (fetched == FetchedRevocation.Outcome.REVOKED) {
            throw new BackendChainRejectedException(BackendChainCode.REVOKED, "OCSP/CRL says " + leaf.getSubjectX500Principal() + " is revoked");
        }
        if (fetched == FetchedRevocation.Outcome.NO_ANSWER && hard) {
            throw new BackendChainRejectedException(BackendChainCode.NO_REVOCATION_STATUS,
                    "no staple and no OCSP/CRL answer for " + leaf.getSubjectX500Principal());
        }
    }

    private static void requirePin(List<X509Certificate> cas, BackendTlsPolicy policy) throws BackendChainRejectedException {
        List<String> seen = new ArrayList<>();
        for (X509Certificate ca : cas) {
            String pin = spkiSha256(ca);
            if (policy.pinnedSpkiSha256().contains(pin)) {
                return;
            }
            seen.add(pin);
        }
        throw new BackendChainRejectedException(BackendChainCode.PIN_MISMATCH, "no CA key of the backend's path is pinned; path keys " + seen);
    }

    /**
     * The CA certificates of the certification path PKIX builds from the leaf to an anchor, the
     * issuer of the leaf first and the anchor last. Built again here because the JDK's trust manager
     * does not hand out the path it validated; the same builder with the same anchors finds the
     * same path. Certificates the server sent that are not on it (an appended pinned CA that
     * signed nothing here) are ignored, so a pin counts only for a key that vouched for the leaf.
     */
    private List<X509Certificate> caPath(List<X509Certificate> chain, Instant now) throws BackendChainRejectedException {
        try {
            X509CertSelector leaf = new X509CertSelector();
            leaf.setCertificate(chain.get(0));
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, leaf);
            params.setRevocationEnabled(false); // revocation is this class's own step, after the pins
            params.setDate(Date.from(now));
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            PKIXCertPathBuilderResult built = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            List<X509Certificate> cas = new ArrayList<>();
            List<? extends Certificate> path = built.getCertPath().getCertificates();
            for (Certificate c : path.subList(1, path.size())) {
                cas.add((X509Certificate) c);
            }
            cas.add(built.getTrustAnchor().getTrustedCert());
            return cas;
        } catch (CertPathBuilderException e) {
            throw new BackendChainRejectedException(BackendChainCode.PIN_MISMATCH, "no certification path from the backend's certificate"
                    + " to a trust anchor: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("trust store unreadable", e);
        }
    }

    /** @return lower-case hex SHA-256 of the certificate's DER SubjectPublicKeyInfo (the pin form) */
    static String spkiSha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
