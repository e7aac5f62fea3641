package io.gantry.backend.revocation;

import java.time.Instant;

/**
 * What the registry knows of one serial number.
 *
 * @param serial lower-case hex serial
 * @param status GOOD, REVOKED or UNKNOWN (never issued here, as far as the registry knows)
 * @param subject subject DN, {@code null} when unknown
 * @param issuerKeyId hex key id of the issuing CA, {@code null} when unknown
 * @param role devices, operators, server, intermediate, ...; {@code null} when unknown
 * @param notAfter end of validity, {@code null} when unknown
 * @param revokedAt when it was revoked, {@code null} unless REVOKED
 * @param reason why, {@code null} unless REVOKED
 * @param sha256 hex SHA-256 of the certificate's DER, {@code null} when unknown
 */
public record CertificateState(String serial, Status status, String subject, String issuerKeyId, String role,
        Instant notAfter, Instant revokedAt, RevocationReason reason, String sha256) {
    /** Revocation status. */
    public enum Status {
        /** Issued here and not revoked. */
        GOOD,
        /** Issued here and revoked. */
        REVOKED,
        /** Not issued here (or not yet imported). */
        UNKNOWN
    }

    /** @return the state of a serial the registry has never seen */
    public static CertificateState unknown(String serial) {
        return new CertificateState(serial, Status.UNKNOWN, null, null, null, null, null, null, null);
    }
}
