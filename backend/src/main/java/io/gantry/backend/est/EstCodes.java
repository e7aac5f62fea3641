package io.gantry.backend.est;

/**
 * Stable codes of EST refusals: the {@code code} of the JSON error body and of the security event
 * recorded for it. Part of the API (docs/backend-api.md): never rename one.
 */
public final class EstCodes {
    /** 400: the body is not a base64 (or DER or PEM) PKCS#10 request. */
    public static final String MALFORMED_CSR = "MALFORMED_CSR";
    /** 400: the CSR's signature does not verify with the key it carries (no proof of possession). */
    public static final String CSR_SIGNATURE_INVALID = "CSR_SIGNATURE_INVALID";
    /** 400: the CSR's key is not ECDSA P-256. */
    public static final String KEY_TYPE_NOT_ALLOWED = "KEY_TYPE_NOT_ALLOWED";
    /** 403: the CSR's subject is not {@code CN=<id>} or {@code CN=<id>,OU=devices,O=Gantry} for the caller's id. */
    public static final String CSR_SUBJECT_MISMATCH = "CSR_SUBJECT_MISMATCH";
    /** 403: this factory credential already enrolled its device once. */
    public static final String FACTORY_CREDENTIAL_USED = "FACTORY_CREDENTIAL_USED";
    /** 403: simpleenroll with a certificate that is not a factory credential ({@code OU=factory}). */
    public static final String NOT_A_FACTORY_CREDENTIAL = "NOT_A_FACTORY_CREDENTIAL";
    /** 403: simplereenroll with a certificate that is not a device certificate ({@code OU=devices}). */
    public static final String NOT_A_DEVICE = "NOT_A_DEVICE";
    /** 403: simplereenroll with a revoked device certificate (same code as the registry check in the identity filter). */
    public static final String CERT_REVOKED = "CERT_REVOKED";
    /** 413: a request body over {@link EstResource#MAX_CSR_BYTES}. */
    public static final String CSR_TOO_LARGE = "CSR_TOO_LARGE";
    private EstCodes() {
    }
}
