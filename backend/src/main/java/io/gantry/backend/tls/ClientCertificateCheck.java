package io.gantry.backend.tls;

import io.gantry.api.failure.FailureCode;
import java.security.cert.X509Certificate;

/**
 * A check of a client chain that PKIX has already accepted: revocation and registry membership.
 * The TLS trust manager ({@link HttpsConnectors}) runs it during the handshake and the
 * {@link ClientCertificateFilter} again on every request, so a connection opened before a
 * revocation is refused from its next request on.
 */
@FunctionalInterface
public interface ClientCertificateCheck {
    /**
     * @param chain the verified client chain, leaf first
     * @return {@code null} if the chain may be used, else why not; never throws (fails closed with a refusal)
     */
    Refusal check(X509Certificate[] chain);

    /**
     * Why a chain is refused.
     *
     * @param code recorded as the security event code and answered in the 403 body
     * @param message in words
     */
    record Refusal(FailureCode code, String message) {
    }
}
