package io.gantry.api.release;

/** What a release replaces: a bundle of the gateway itself, or the firmware of a downstream device. */
public enum ReleaseKind {
    /** One OSGi bundle of the gateway, identified by its Bundle-SymbolicName (the release name). */
    BUNDLE,
    /** A firmware image for a device behind the gateway, routed by the release target (device type). */
    FIRMWARE,
    /**
     * A new release trust root (payload {@code trust-root.json} plus {@code trust-root.sigs.json});
     * signed by the root role and accepted only under the rotation rule (docs/release-format.md).
     */
    TRUST_ROOT
}
