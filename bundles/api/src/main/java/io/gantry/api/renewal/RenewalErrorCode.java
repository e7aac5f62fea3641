package io.gantry.api.renewal;

import io.gantry.api.failure.FailureCode;

/** Stable codes of renewal failures; none of them changes the current identity. */
public enum RenewalErrorCode implements FailureCode {
    BACKEND_UNREACHABLE("The backend could not be reached or the TLS handshake failed."),
    RETRY_LATER("The EST server accepted the request but the certificate is not ready (HTTP 202, RFC 7030 §4.2.3)."),
    REFUSED("The EST server refused the request (HTTP 4xx/5xx other than 202)."),
    BAD_RESPONSE("The response was not a well-formed certs-only PKCS#7 or had the wrong content type."),
    KEY_MISMATCH("The issued certificate does not carry the key of the pending renewal."),
    SUBJECT_MISMATCH("The issued certificate names another subject than the current one."),
    UNTRUSTED_CHAIN("The issued chain does not lead to the configured trust anchor."),
    NOT_VALID("The issued certificate is not valid now (expired or not yet valid)."),
    UNKNOWN_RENEWAL("The renewal being completed is not the one this keystore started (or it was already completed)."),
    KEY_GENERATION_FAILED("Generating the key or the CSR failed."),
    STORE_FAILED("Writing the renewed keystore failed; the previous file and identity stay in use.");

    private final String meaning;

    RenewalErrorCode(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
