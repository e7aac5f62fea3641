/**
 * A local fleet on one machine: release-signing keys and a trust root
 * ({@link io.gantry.testing.fleet.TrustRootFixture}), signed releases
 * ({@link io.gantry.testing.fleet.ReleaseFixture}), a provisioned gateway home
 * ({@link io.gantry.testing.fleet.GatewayHome}) and a gateway JVM started from the distribution
 * ({@link io.gantry.testing.fleet.GatewayProcess}), and new revisions of gateway bundles rebuilt
 * from their sources ({@link io.gantry.testing.fleet.BundleRebuild},
 * {@link io.gantry.testing.fleet.FaultyRevisions}). The end-to-end tests and the demo share it.
 */
package io.gantry.testing.fleet;
