package io.gantry.api.tls;

import io.gantry.api.failure.FailureCode;

/**
 * Stable codes of a backend server chain that passed PKIX validation but broke the trust root's
 * TLS policy ({@link BackendTlsPolicy}); the gateway's keystore refuses the handshake with one of
 * these as the first word of the failure.
 */
public enum BackendChainCode implements FailureCode {
    PIN_MISMATCH("No CA key of the validated path is pinned by the trust root."),
    REVOKED("A valid revocation answer says the server certificate is revoked."),
    NO_REVOCATION_STATUS("Hard-fail: no valid staple, and neither OCSP at the AIA URL nor a CRL answered."),
    NO_TRUST_POLICY("No trust-root policy source (the verifier) is running: pins and revocation mode are unknown."),
    UNKNOWN_STATUS("Hard-fail: the stapled answer says UNKNOWN."),
    STALE_STAPLE("Hard-fail: the staple is outside thisUpdate..nextUpdate at the gateway's clock."),
    BAD_STAPLE("Hard-fail: the staple is unsigned, signed by someone else, or about another certificate.");

    private final String meaning;

    BackendChainCode(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
