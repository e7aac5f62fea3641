package io.gantry.backend.events;

/**
 * The stable codes of security events that are not a {@link io.gantry.api.verify.RejectionCode}
 * name. Refused uploads and devices' release rejections use the {@code RejectionCode} name itself.
 * Codes are part of the API (docs/backend-api.md): never rename one.
 */
public final class SecurityEventCodes {
    /** TLS handshake on the HTTPS connector failed (no, foreign, expired or wrong-EKU client certificate, ...). */
    public static final String TLS_HANDSHAKE_FAILED = "TLS_HANDSHAKE_FAILED";
    /** 403: the certificate's subject has no single CN and single OU, or its OU grants no role. */
    public static final String NO_ROLE = "NO_ROLE";
    /** 403: the certificate's role may not use this API (a device on {@code /rest}, an operator on the device API). */
    public static final String WRONG_ROLE = "WRONG_ROLE";
    /** 403: a device certificate used for another controller id than its own CN. */
    public static final String IDENTITY_MISMATCH = "IDENTITY_MISMATCH";
    /** 403 (or a failed handshake): the client chain passes through an intermediate the root has retired. */
    public static final String INTERMEDIATE_RETIRED = "INTERMEDIATE_RETIRED";
    /** 413: a release upload larger than {@code maxUploadBytes}. */
    public static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";

    /** 429: a device started more artifact downloads, or more bytes, than its {@code DownloadQuota} allows. */
    public static final String DOWNLOAD_LIMIT = "DOWNLOAD_LIMIT";

    /** 403 or refused handshake: the client certificate is revoked (certificate registry). */
    public static final String CERT_REVOKED = "CERT_REVOKED";
    /** 403 or refused handshake: the client certificate chains to the root but was never issued here (registry). */
    public static final String CERT_UNKNOWN = "CERT_UNKNOWN";
    /** 403 or refused handshake: the registry could not be read, so the certificate was refused (fail closed). */
    public static final String CERT_STATUS_UNAVAILABLE = "CERT_STATUS_UNAVAILABLE";
    /** An operator or the CLI revoked certificates (not a refusal: an audit record of the revocation). */
    public static final String CERTIFICATE_REVOKED = "CERTIFICATE_REVOKED";

    private SecurityEventCodes() {
    }
}
