package io.gantry.backend.est;

import io.gantry.backend.tls.Role;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Where EST meets the certificate registry of the revocation service: every certificate EST issues
 * is recorded, and simplereenroll asks whether the caller's current certificate is revoked.
 */
public interface EnrollmentRegistry {
    /**
     * Not connected to any registry: records nothing and knows of no revocation. The backend uses
     * it only while no certificate registry is configured (docs/backend-api.md, "EST").
     */
    EnrollmentRegistry NOT_CONNECTED = new EnrollmentRegistry() {
        @Override
        public void issued(X509Certificate certificate, Role role) {
        }

        @Override
        public boolean isRevoked(X509Certificate certificate) {
            return false;
        }
    };

    /**
     * Records a certificate EST just issued, before it is handed out.
     *
     * @throws Exception if it could not be recorded (the certificate is then not handed out)
     */
    void issued(X509Certificate certificate, Role role) throws Exception;

    /** @return whether {@code certificate} is revoked (a failure to know must throw, not answer false) */
    boolean isRevoked(X509Certificate certificate) throws Exception;

    /**
     * Records that {@code deviceId} renewed {@code previous} into {@code issued}: {@code previous} is
     * then superseded (docs/backend-api.md, "EST enrollment"). Not connected: nothing recorded.
     */
    default void renewed(X509Certificate previous, X509Certificate issued, String deviceId) throws Exception {
    }

    /** @return when {@code deviceId} renewed since {@code since}, oldest first (not connected: none) */
    default List<Instant> renewalsSince(String deviceId, Instant since) throws Exception {
        return List.of();
    }
}
