/**
 * Metrics in the Prometheus text format (docs/metrics.md): {@link io.gantry.backend.metrics.BackendMetrics}
 * holds the registry and the event counters the feature packages increment, and
 * {@link io.gantry.backend.metrics.MetricsListener} serves {@code GET /metrics} on its own plain-HTTP
 * listener, loopback by default. Depends on no other server package; feature packages that count
 * depend on it, and collectors that read the database live in their own packages and are registered
 * by the assembly.
 */
package io.gantry.backend.metrics;
