package io.gantry.backend.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the fleet-health rules judge, read from the backend's own tables at one instant
 * ({@link FleetHealthQueries}).
 *
 * @param ending the newest GOOD certificate of each subject that ends before the first warning day
 *     from now (expired ones included: a certificate stays an alert until replaced or revoked); not one-time factory credentials, not the OCSP signing credential the backend rotates itself
 * @param lastSeen when each device named by a device certificate in {@code ending} last polled
 *     (absent: never)
 * @param silent devices whose last poll is older than the silence limit
 * @param renewalReports devices' own renewal reports (CERT_RENEWAL_*) in the last day, newest per device and code
 * @param pausedRollouts rollouts paused by their error threshold
 */
public record FleetSnapshot(List<CertificateEnd> ending, Map<String, Instant> lastSeen, List<DeviceSeen> silent,
        List<RenewalReport> renewalReports, List<PausedRollout> pausedRollouts) {
    /** Copies every list and map. */
    public FleetSnapshot {
        ending = List.copyOf(ending);
        lastSeen = Map.copyOf(lastSeen);
        silent = List.copyOf(silent);
        renewalReports = List.copyOf(renewalReports);
        pausedRollouts = List.copyOf(pausedRollouts);
    }

    /**
     * A certificate from the registry ({@code issued_certificates}).
     *
     * @param serial hex serial
     * @param subject subject DN
     * @param role {@code devices}, {@code operators}, {@code server}, ...
     * @param commonName the subject's CN (the controller id of a device)
     * @param notAfter when it ends
     */
    public record CertificateEnd(String serial, String subject, String role, String commonName, Instant notAfter) {
    }

    /**
     * @param controllerId the device
     * @param lastSeen its last poll
     */
    public record DeviceSeen(String controllerId, Instant lastSeen) {
    }

    /**
     * @param controllerId the device that reported
     * @param code CERT_RENEWAL_ESCALATED, CERT_RENEWAL_EMERGENCY or CERT_RENEWAL_EXPIRED
     * @param at when it last reported it
     */
    public record RenewalReport(String controllerId, String code, Instant at) {
    }

    /**
     * @param id the rollout
     * @param reason its pause reason (the threshold's numbers)
     * @param since when it paused
     */
    public record PausedRollout(long id, String reason, Instant since) {
    }
}
