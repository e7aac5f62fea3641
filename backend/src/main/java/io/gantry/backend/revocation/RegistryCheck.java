package io.gantry.backend.revocation;

import io.gantry.backend.failure.SecurityEventCode;
import io.gantry.backend.tls.ClientCertificateCheck;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation check of client chains, used in the TLS handshake and on every request. The
 * leaf must be in the registry and GOOD; every issuer below the root must not be REVOKED.
 * Policy for a leaf the registry does not know (after re-reading {@code issued.log}): refuse
 * ({@code CERT_UNKNOWN}). It chains to our root, so only a leaked CA key or a bypassed issuance
 * path can have made it. A registry that cannot be read refuses too ({@code CERT_STATUS_UNAVAILABLE}).
 */
public final class RegistryCheck implements ClientCertificateCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryCheck.class);
    private final CertificateRegistry registry;
    private final IssuanceLogImport logImport;
    private final CertificateRenewals renewals;

    /**
     * @param registry the certificate registry
     * @param logImport re-read when a leaf is unknown, {@code null} if there is no log
     */
    public RegistryCheck(CertificateRegistry registry, IssuanceLogImport logImport) {
        this(registry, logImport, null);
    }

    /**
     * As {@link #RegistryCheck(CertificateRegistry, IssuanceLogImport)}; a GOOD leaf is also reported to
     * {@code renewals} (its first use supersedes the certificate it replaced), {@code null} for none.
     */
    public RegistryCheck(CertificateRegistry registry, IssuanceLogImport logImport, CertificateRenewals renewals) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.logImport = logImport;
        this.renewals = renewals;
    }

    @Override
    public Refusal check(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return null;
        }
        try {
            CertificateState leaf = registry.status(chain[0]);
            if (leaf.status() == CertificateState.Status.UNKNOWN && logImport != null) {
                // Read again even when this thread imported nothing: a concurrent request may just
                // have imported the same certificate.
                logImport.refresh();
                leaf = registry.status(chain[0]);
            }
            if (leaf.status() == CertificateState.Status.REVOKED) {
                return new Refusal(SecurityEventCode.CERT_REVOKED, "client certificate " + leaf.serial() + " was revoked at "
                        + leaf.revokedAt() + " (" + leaf.reason() + ")");
            }
            if (leaf.status() == CertificateState.Status.UNKNOWN) {
                return new Refusal(SecurityEventCode.CERT_UNKNOWN, "client certificate " + leaf.serial()
                        + " was not issued by this backend's CA");
            }
            for (int i = 1; i < chain.length; i++) {
                CertificateState ca = registry.status(chain[i]);
                if (ca.status() == CertificateState.Status.REVOKED) {
                    return new Refusal(SecurityEventCode.CERT_REVOKED, "issuing CA " + ca.serial() + " was revoked");
                }
            }
            if (renewals != null) {
                renewals.firstUse(leaf.serial());
            }
            return null;
        } catch (Exception e) {
            LOG.error("certificate registry unavailable; refusing {}", chain[0].getSubjectX500Principal(), e);
            return new Refusal(SecurityEventCode.CERT_STATUS_UNAVAILABLE, "revocation status cannot be read");
        }
    }
}
