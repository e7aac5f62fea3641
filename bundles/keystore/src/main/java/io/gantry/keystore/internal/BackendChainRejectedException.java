package io.gantry.keystore.internal;

import java.security.cert.CertificateException;

/**
 * The backend's server chain passed PKIX validation but broke the gateway's TLS policy
 * (docs/gateway.md, TLS policy). JSSE turns it into a failed handshake; nothing trusted changes.
 */
final class BackendChainRejectedException extends CertificateException {
    private static final long serialVersionUID = 1L;

    /** Stable reasons, logged and shown as the first word of the message. */
    enum Code {
        /** No CA key of the validated path is pinned by the trust root. */
        PIN_MISMATCH,
        /** A valid revocation answer says the server certificate is revoked. */
        REVOKED,
        /** Hard-fail: no valid staple, and neither OCSP at the AIA URL nor a CRL answered. */
        NO_REVOCATION_STATUS,
        /** No trust-root policy source (the verifier) is running: pins and revocation mode are unknown. */
        NO_TRUST_POLICY,
        /** Hard-fail: the stapled answer says UNKNOWN. */
        UNKNOWN_STATUS,
        /** Hard-fail: the staple is outside thisUpdate..nextUpdate at the gateway's clock. */
        STALE_STAPLE,
        /** Hard-fail: the staple is unsigned, signed by someone else, or about another certificate. */
        BAD_STAPLE
    }

    private final Code code;

    BackendChainRejectedException(Code code, String words) {
        super(code + ": " + words);
        this.code = code;
    }

    Code code() {
        return code;
    }
}
