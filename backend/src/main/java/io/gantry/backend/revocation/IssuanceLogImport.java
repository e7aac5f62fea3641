package io.gantry.backend.revocation;

import io.gantry.pki.IssuanceLogFile;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports the PKI folder's {@code issued.log} into the {@link CertificateRegistry}: all of it at
 * start, then what was appended since, whenever a certificate unknown to the registry shows up
 * (a device issued by {@code gantry pki device} while the backend runs). Idempotent: known
 * serials are skipped. A line is imported only if its certificate's signature verifies under a CA
 * the backend already trusts (the trust anchors, or a CA certificate imported before it), so a
 * writable log cannot make the registry vouch for a certificate the CA never signed.
 */
public final class IssuanceLogImport {
    private static final Logger LOG = LoggerFactory.getLogger(IssuanceLogImport.class);
    private final IssuanceLogFile log;
    private final CertificateRegistry registry;
    private final List<X509Certificate> issuers;
    private long offset;

    /**
     * @param log the PKI folder's issuance log
     * @param registry where certificates are recorded
     * @param trustedIssuers CA certificates whose signatures are accepted from the start (root, intermediate)
     */
    public IssuanceLogImport(IssuanceLogFile log, CertificateRegistry registry, List<X509Certificate> trustedIssuers) {
        this.log = Objects.requireNonNull(log, "log");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.issuers = new ArrayList<>(trustedIssuers);
    }

    /**
     * Reads what was appended since the last call and records it.
     *
     * @return how many certificates were new to the registry
     * @throws IOException if the log cannot be read or holds a malformed complete line
     */
    public synchronized int refresh() throws IOException, SQLException {
        IssuanceLogFile.Chunk chunk = log.readFrom(offset);
        int added = 0;
        for (IssuanceLogFile.Entry e : chunk.entries()) {
            X509Certificate cert = e.certificate();
            if (!signedByKnownIssuer(cert)) {
                LOG.warn("issued.log: {} (serial {}) is not signed by a known CA; not imported",
                        cert.getSubjectX500Principal(), Serials.hex(cert.getSerialNumber()));
                continue;
            }
            if (registry.record(cert, e.role())) {
                added++;
            }
            if (cert.getBasicConstraints() >= 0) {
                issuers.add(cert);
            }
        }
        offset = chunk.nextOffset();
        return added;
    }

    private boolean signedByKnownIssuer(X509Certificate cert) {
        for (X509Certificate ca : issuers) {
            if (ca.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                try {
                    cert.verify(ca.getPublicKey());
                    return true;
                } catch (GeneralSecurityException wrongKey) {
                    // another CA with the same name (e.g. after a rotation): try the next one
                }
            }
        }
        return false;
    }
}
