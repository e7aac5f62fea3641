package io.gantry.api.renewal;

/**
 * Where the device certificate stands relative to its expiry, and so how hard the gateway tries to
 * renew it. Thresholds are configuration (defaults 90, 30 and 7 days before {@code notAfter}).
 */
public enum RenewalPhase {
    /** More than the renewal window left: nothing to do until the window opens. */
    NORMAL,
    /** Inside the renewal window: attempts with exponential backoff and full jitter. */
    RENEWING,
    /** Close to expiry: as RENEWING, plus the status is reported to the backend and logged at ERROR. */
    ESCALATED,
    /** Days from expiry: attempts at a short fixed interval and the operator is notified. */
    EMERGENCY,
    /**
     * The certificate has expired: re-enrollment with it is no longer possible (RFC 7030 §3.3.2
     * requires a valid client certificate); attempts continue at the emergency interval in case
     * the local clock is wrong, but the device needs to be enrolled again.
     */
    EXPIRED
}
