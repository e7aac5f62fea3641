package io.gantry.provision;

/** Stable codes of a provisioning that did not happen; nothing in the home is left half written. */
public enum ProvisionError {
    /** A flag is missing, malformed or out of range. */
    INVALID_SETTING,
    /** The home already holds an identity or configuration: provisioning never overwrites one. */
    HOME_NOT_EMPTY,
    /** The release trust root is missing, unsigned or not a trust root. */
    TRUST_ROOT_INVALID,
    /** The factory credential or the backend CA file cannot be read. */
    CREDENTIAL_INVALID,
    /** The backend could not be reached, or its TLS certificate does not chain to the backend CA. */
    BACKEND_UNREACHABLE,
    /** The backend refused the enrollment (HTTP status and body in the message). */
    ENROLLMENT_REFUSED,
    /** The backend answered something that is not a certificate for the key just generated. */
    BAD_RESPONSE,
    /** Writing the home failed. */
    WRITE_FAILED
}
