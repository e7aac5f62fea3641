package io.gantry.api.verify;

import io.gantry.api.failure.FailureCode;

/** Stable codes for why a release was refused; reported upstream as security events. */
public enum RejectionCode implements FailureCode {
    MALFORMED("The metadata or signature envelope does not parse, or breaks the format rules."),
    MISSING_SIGNATURE("No signature at all."),
    BAD_SIGNATURE("A signature by a trusted key does not verify over the metadata bytes."),
    UNKNOWN_SIGNER("No signature comes from a key this gateway trusts."),
    HASH_MISMATCH("A payload's SHA-256 differs from the signed digest."),
    ENDLESS_DATA("A payload is longer than its signed size."),
    TRUNCATED("A payload ended before its signed size."),
    WRONG_HARDWARE("The release is for another device type than the one it was offered to."),
    NO_TRUST_ANCHOR("The verifier has no trust anchors: it refuses everything rather than skip the check."),
    THRESHOLD_NOT_MET("Fewer distinct trusted signers than the role's threshold."),
    THRESHOLD_TOO_LOW("A trust root sets a threshold below the gateway's configured minimum (or zero)."),
    UNAUTHORIZED_SIGNER("No role may sign this release: no key set for its major version, or a vendor outside its delegation."),
    EXPIRED("The release or the trust root has expired (time never runs backwards past a trusted time)."),
    ROLLBACK("An older version or a lower security counter than the gateway already installed."),
    BAD_ROTATION("A new trust root that does not follow the rotation rule.");

    private final String meaning;

    RejectionCode(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
