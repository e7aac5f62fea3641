package io.gantry.api.keystore;

import io.gantry.api.renewal.RenewalException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A device identity that can be re-keyed in place. The new key pair is generated inside the
 * implementation and never leaves it; only a PKCS#10 request for the same subject does.
 *
 * <p>Guarantees: until {@link #completeRenewal} succeeds, the current key and chain stay in use
 * unchanged; when it succeeds, the renewed identity is stored durably first and then switched
 * to, so a crash at any point leaves either the old or the new identity loadable, never none.
 * {@link #sslContext()} called afterwards presents the new certificate.
 */
@ProviderType
public interface RenewableIdentity extends DeviceIdentity {

    /**
     * Generates a new P-256 key pair and a CSR for the current subject, signed with the new key.
     * A later call replaces an earlier pending renewal.
     *
     * @return the pending renewal holding the CSR
     * @throws RenewalException {@code KEY_GENERATION_FAILED} if the key or CSR cannot be made
     */
    PendingRenewal beginRenewal() throws RenewalException;

    /**
     * Checks the issued chain and, only if every check passes, swaps the identity atomically.
     *
     * @param pending the renewal returned by the latest {@link #beginRenewal()}
     * @param chain the issued certificate first, then its issuers (the trust anchor may be omitted)
     * @throws RenewalException {@code UNKNOWN_RENEWAL}, {@code KEY_MISMATCH}, {@code SUBJECT_MISMATCH},
     *     {@code UNTRUSTED_CHAIN}, {@code NOT_VALID} or {@code STORE_FAILED}; the current identity
     *     is unchanged in every case
     */
    void completeRenewal(PendingRenewal pending, List<X509Certificate> chain) throws RenewalException;
}
