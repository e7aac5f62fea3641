package io.gantry.backend.alerts;

/** What an alert's subject names. Stored by name: never rename one. */
public enum AlertSubject {
    /** A controller id. */
    DEVICE,
    /** A rollout id. */
    ROLLOUT,
    /** A certificate serial (hex). */
    CERTIFICATE,
    /** A release id. */
    RELEASE,
    /** An address prefix such as {@code 203.0.113.0/24}. */
    NETWORK,
    /** The whole fleet. */
    FLEET
}
