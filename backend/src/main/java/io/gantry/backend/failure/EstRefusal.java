package io.gantry.backend.failure;

import io.gantry.api.failure.FailureCode;

/**
 * Codes of EST refusals: the {@code code} of the JSON error body and of the security event
 * recorded for it. A revoked certificate asking to re-enroll is {@link SecurityEventCode#CERT_REVOKED},
 * as in the identity filter. Part of the API (docs/backend-api.md): never rename one.
 */
public enum EstRefusal implements FailureCode {
    MALFORMED_CSR("The body is not a base64 (or DER or PEM) PKCS#10 request."),
    CSR_SIGNATURE_INVALID("The CSR's signature does not verify with the key it carries (no proof of possession)."),
    KEY_TYPE_NOT_ALLOWED("The CSR's key is not ECDSA P-256."),
    CSR_SUBJECT_MISMATCH("The CSR's subject is not CN=<id> or CN=<id>,OU=devices,O=Gantry for the caller's id."),
    FACTORY_CREDENTIAL_USED("This factory credential already enrolled its device once."),
    NOT_A_FACTORY_CREDENTIAL("simpleenroll with a certificate that is not a factory credential (OU=factory)."),
    NOT_A_DEVICE("simplereenroll with a certificate that is not a device certificate (OU=devices)."),
    CSR_TOO_LARGE("A request body over the EST size limit."),
    REENROLL_LIMIT("A device asked simplereenroll more often than the re-enrollment limit allows (Retry-After given).");

    private final String meaning;

    EstRefusal(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
