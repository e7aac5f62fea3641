package io.gantry.api.renewal;

/** Stable codes of renewal failures; none of them changes the current identity. */
public enum RenewalErrorCode {
    /** The backend could not be reached or the TLS handshake failed. */
    BACKEND_UNREACHABLE,
    /** The EST server accepted the request but the certificate is not ready (HTTP 202, RFC 7030 §4.2.3). */
    RETRY_LATER,
    /** The EST server refused the request (HTTP 4xx/5xx other than 202). */
    REFUSED,
    /** The response was not a well-formed certs-only PKCS#7 or had the wrong content type. */
    BAD_RESPONSE,
    /** The issued certificate does not carry the key of the pending renewal. */
    KEY_MISMATCH,
    /** The issued certificate names another subject than the current one. */
    SUBJECT_MISMATCH,
    /** The issued chain does not lead to the configured trust anchor. */
    UNTRUSTED_CHAIN,
    /** The issued certificate is not valid now (expired or not yet valid). */
    NOT_VALID,
    /** The renewal being completed is not the one this keystore started (or it was already completed). */
    UNKNOWN_RENEWAL,
    /** Generating the key or the CSR failed. */
    KEY_GENERATION_FAILED,
    /** Writing the renewed keystore failed; the previous file and identity stay in use. */
    STORE_FAILED
}
