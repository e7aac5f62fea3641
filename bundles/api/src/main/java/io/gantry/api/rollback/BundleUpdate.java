package io.gantry.api.rollback;

/**
 * A committed bundle update.
 *
 * @param symbolicName the bundle updated
 * @param previousVersion the Bundle-Version before
 * @param newVersion the Bundle-Version now running
 * @param installedFresh true when no bundle of that name was installed before
 */
public record BundleUpdate(String symbolicName, String previousVersion, String newVersion, boolean installedFresh) {
}
