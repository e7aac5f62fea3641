/**
 * The coordinator's implementation, for the launcher (and tests that run a framework of their own):
 * {@link io.gantry.coordinator.launch.CoordinatorRuntime} recovers an interrupted transaction
 * between {@code Framework.init()} and {@code start()}, then registers the coordinator. Not exported
 * to bundles.
 */
package io.gantry.coordinator.launch;
