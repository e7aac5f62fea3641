package io.gantry.api.verify;

/** Stable codes for why a release was refused; reported upstream as security events. */
public enum RejectionCode {
    /** The metadata or signature envelope does not parse, or breaks the format rules. */
    MALFORMED,
    /** No signature at all. */
    MISSING_SIGNATURE,
    /** A signature by a trusted key does not verify over the metadata bytes. */
    BAD_SIGNATURE,
    /** No signature comes from a key this gateway trusts. */
    UNKNOWN_SIGNER,
    /** A payload's SHA-256 differs from the signed digest. */
    HASH_MISMATCH,
    /** A payload is longer than its signed size. */
    ENDLESS_DATA,
    /** A payload ended before its signed size. */
    TRUNCATED,
    /** The release is for another device type than the one it was offered to. */
    WRONG_HARDWARE,
    /** The verifier has no trust anchors: it refuses everything rather than skip the check. */
    NO_TRUST_ANCHOR,
    /** Fewer distinct trusted signers than the role's threshold. */
    THRESHOLD_NOT_MET,
    /** A trust root sets a threshold below the gateway's configured minimum (or zero). */
    THRESHOLD_TOO_LOW,
    /** No role may sign this release: no key set for its major version, or a vendor outside its delegation. */
    UNAUTHORIZED_SIGNER,
    /** The release or the trust root has expired (time never runs backwards past a trusted time). */
    EXPIRED,
    /** An older version or a lower security counter than the gateway already installed. */
    ROLLBACK,
    /** A new trust root that does not follow the rotation rule. */
    BAD_ROTATION
}
