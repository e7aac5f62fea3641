/**
 * Health of the backend and of the fleet: the probe a load balancer calls ({@code GET /health} on
 * its own plain-HTTP port, {@link io.gantry.backend.health.HealthListener}; docs/backend-api.md,
 * "Running it as a service"), and the periodic fleet-health evaluator
 * ({@link io.gantry.backend.health.FleetHealthEvaluator}: certificate expiry from the backend's own
 * registry, failing renewals, silent devices, rollouts over their error threshold) that opens and
 * resolves fleet alerts (docs/operations.md).
 */
package io.gantry.backend.health;
