package io.gantry.keystore.internal;

import io.gantry.api.tls.BackendTlsPolicy;
import io.gantry.api.tls.RevocationPolicy;
import io.gantry.keystore.internal.BackendChainRejectedException.Code;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
        List<X509Certificate> cas = caPath(chain);
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
                    throw new BackendChainRejectedException(Code.REVOKED, "stapled OCSP says " + leaf.getSubjectX500Principal() + " is revoked");
                }
                if (s == OcspStaple.Status.GOOD || !hard) {
                    return;
                }
                throw new BackendChainRejectedException(Code.UNKNOWN_STATUS, "stapled OCSP does not know " + leaf.getSubjectX500Principal());
            } catch (BackendChainRejectedException e) {
                // A present but unusable staple refuses under hard-fail; soft-fail goes on to fetch.
                if (hard || e.code() == Code.REVOKED) {
                    throw e;
                }
            }
        }
        FetchedRevocation.Outcome fetched = FetchedRevocation.check(chain, anchors, now);
        if (fetched == FetchedRevocation.Outcome.REVOKED) {
            throw new BackendChainRejectedException(Code.REVOKED, "OCSP/CRL says " + leaf.getSubjectX500Principal() + " is revoked");
        }
        if (fetched == FetchedRevocation.Outcome.NO_ANSWER && hard) {
            throw new BackendChainRejectedException(Code.NO_REVOCATION_STATUS,
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
        throw new BackendChainRejectedException(Code.PIN_MISMATCH, "no CA key of the backend's path is pinned; path keys " + seen);
    }

    /** @return the CA certificates of the path: the sent intermediates, then the anchor that issued the last one */
    private List<X509Certificate> caPath(List<X509Certificate> chain) {
        List<X509Certificate> cas = new ArrayList<>(chain.subList(1, chain.size()));
        X509Certificate top = chain.get(chain.size() - 1);
        try {
            for (String alias : Collections.list(anchors.aliases())) {
                Certificate c = anchors.getCertificate(alias);
                if (c instanceof X509Certificate a && !cas.contains(a)
                        && a.getSubjectX500Principal().equals(top.getIssuerX500Principal()) && signs(a, top)) {
                    cas.add(a);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("trust store unreadable", e);
        }
        return cas;
    }

    private static boolean signs(X509Certificate issuer, X509Certificate subject) {
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
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
