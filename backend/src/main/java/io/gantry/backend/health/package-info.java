/**
 * The health endpoint a load balancer probes: {@code GET /health} on a plain-HTTP port of its own
 * ({@link io.gantry.backend.health.HealthListener}), 200 when the backend is ready and its database
 * answers, 503 otherwise. docs/backend-api.md, "Running it as a service".
 */
package io.gantry.backend.health;
