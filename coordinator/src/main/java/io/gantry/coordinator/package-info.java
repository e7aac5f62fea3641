/**
 * The update coordinator's contract: what the gateway's bundles may ask of the part that replaces
 * them. The launcher registers one {@link io.gantry.coordinator.BundleSetCoordinator} on the system
 * bundle, and this package is exported by the system bundle (never by a bundle), so it stays the
 * same while any bundle, the security bundles included, is replaced.
 */
@Version("1.0.0")
package io.gantry.coordinator;

import org.osgi.annotation.versioning.Version;
