package io.gantry.renewal.internal;

import io.gantry.api.keystore.PendingRenewal;
import io.gantry.api.keystore.RenewableIdentity;
import io.gantry.api.renewal.RenewalErrorCode;
import io.gantry.api.renewal.RenewalException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One renewal: a new key and CSR inside the keystore, {@code simplereenroll} over mTLS with the
 * current identity, then the keystore checks and swaps. If the answer's chain stops short of a
 * root and the keystore cannot anchor it, the CA certificates from {@code cacerts} complete it
 * (a device moved onto a new intermediate, issue 4 item 7).
 */
final class RenewalAttempt {
    private RenewalAttempt() {
    }

    /** @return the renewed certificate; on any exception the identity is unchanged */
    static X509Certificate run(RenewableIdentity identity, URI backend, Clock clock) throws RenewalException {
        EstRenewalClient est = new EstRenewalClient(identity.sslContext(), backend, clock);
        PendingRenewal pending = identity.beginRenewal();
        List<X509Certificate> pool = new ArrayList<>(est.simpleReenroll(pending.csr()));
        List<X509Certificate> known = identity.certificateChain();
        pool.addAll(known.subList(1, known.size()));
        List<X509Certificate> chain = CertChains.leafFirst(pool, pending.publicKey());
        try {
            identity.completeRenewal(pending, chain);
        } catch (RenewalException e) {
            if (e.code() != RenewalErrorCode.UNTRUSTED_CHAIN || CertChains.reachesRoot(chain)) {
                throw e;
            }
            pool.addAll(est.caCerts());
            chain = CertChains.leafFirst(pool, pending.publicKey());
            identity.completeRenewal(pending, chain);
        }
        return chain.get(0);
    }
}
