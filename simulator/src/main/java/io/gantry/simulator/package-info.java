/**
 * Benchmark harnesses over a real backend: {@link io.gantry.simulator.FleetSimulator} (simulated
 * gateways with their own certificates polling a backend process over keep-alive mutual TLS and
 * following a rollout) and {@link io.gantry.simulator.RolloutPlanningBench} (planning and advancing
 * a rollout over 100,000 devices). Not tests: docs/benchmarks.md says how to run them and records
 * their results.
 */
package io.gantry.simulator;
