package io.gantry.backend.failure;

import io.gantry.api.failure.FailureCode;
import io.gantry.api.renewal.RenewalPhase;
import java.util.Optional;

/**
 * Codes of security events that are not a release rejection or an EST refusal: refused
 * connections and requests, quota refusals, revocations and devices' renewal escalations. A
 * refused upload and a device's release rejection are recorded under the
 * {@code RejectionCode} itself. Part of the API (stored rows, alert JSON): never rename one.
 */
public enum SecurityEventCode implements FailureCode {
    TLS_HANDSHAKE_FAILED("TLS handshake on the HTTPS connector failed (no, foreign, expired or wrong-EKU client certificate, ...)."),
    NO_ROLE("The certificate's subject has no single CN and single OU, or its OU grants no role (answered FORBIDDEN)."),
    WRONG_ROLE("The certificate's role may not use this API: a device on /rest, an operator on the device API (answered FORBIDDEN)."),
    IDENTITY_MISMATCH("A device certificate used for another controller id than its own CN (answered FORBIDDEN)."),
    ROLE_REQUIRED("An operator certificate lacks the operator role a management endpoint requires (the message names it)."),
    ROLE_NOT_DECLARED("A management endpoint declares no operator role, so it is refused to everyone: default deny."),
    CROSS_SITE_REQUEST("A browser sent a state-changing request on behalf of another site (Sec-Fetch-Site or Origin not this backend): refused, answered FORBIDDEN."),
    INTERMEDIATE_RETIRED("The client chain passes through an intermediate the root has retired (403 or a refused handshake)."),
    CERT_REVOKED("The client certificate, or a CA on its chain, is revoked (403 or a refused handshake; EST re-enrollment too)."),
    CERT_UNKNOWN("The client certificate chains to the root but was never issued here (403 or a refused handshake)."),
    CERT_STATUS_UNAVAILABLE("The certificate registry could not be read, so the certificate was refused: fail closed."),
    PAYLOAD_TOO_LARGE("A release upload larger than maxUploadBytes."),
    DOWNLOAD_LIMIT("A device started more artifact downloads, or more bytes, than its download quota allows (Retry-After given)."),
    CERTIFICATE_REVOKED("An operator or the CLI revoked certificates: an audit record, not a refusal."),
    CERTIFICATE_SUPERSEDED("A certificate an EST renewal replaced was revoked (reason superseded): an audit record, not an alert by default."),
    CERT_RENEWAL_ESCALATED("A device reports its certificate renewal escalated: close to expiry and still failing."),
    CERT_RENEWAL_EMERGENCY("A device reports its certificate renewal in emergency: days from expiry."),
    CERT_RENEWAL_EXPIRED("A device reports its certificate expired: it must be enrolled again."),
    ROLLOUT_PAUSED("A rollout paused itself: failures crossed its error threshold (an alert, not a refusal)."),
    TRUST_ROOT_ACTIVATED("A trust-root release rotated the backend's release trust root without a restart; releases that lost their threshold were withdrawn (an audit record)."),
    RELEASE_WITHDRAWN_BY_ROTATION("A stored release lost its signing threshold under a newly activated trust root: withdrawn, its open actions and rollouts canceled (an audit record)."),
    INCIDENT_STEP("A step of an incident playbook (freeze, unfreeze, publish, re-sign, roll forward, revocation, report) ran: an audit record."),
    FLEET_ALERT("A fleet alert was opened, escalated, acknowledged or resolved (docs/operations.md); the detail is the alert as JSON.");

    private final String meaning;

    /**
     * @param renewal the {@code cert.renewal} a device reports in its configData: a
     *     {@link RenewalPhase} name, or {@code RENEWED}
     * @return the event the report raises: one for ESCALATED, EMERGENCY and EXPIRED, else none
     */
    public static Optional<SecurityEventCode> ofRenewalReport(String renewal) {
        for (RenewalPhase phase : RenewalPhase.values()) {
            if (phase.name().equals(renewal)) {
                return switch (phase) {
                    case ESCALATED -> Optional.of(CERT_RENEWAL_ESCALATED);
                    case EMERGENCY -> Optional.of(CERT_RENEWAL_EMERGENCY);
                    case EXPIRED -> Optional.of(CERT_RENEWAL_EXPIRED);
                    case NORMAL, RENEWING -> Optional.empty();
                };
            }
        }
        return Optional.empty();
    }

    SecurityEventCode(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
