/**
 * The one-command demo: PKI, backend with its MQTT broker, a gateway JVM with its simulated sensors
 * and simulated DDI devices beside it, signed bundle updates through two-group rollouts with an
 * MQTT push, a firmware update, the refusals, renewal and revocation. It runs on the same local-fleet fixtures
 * as the end-to-end tests ({@code io.gantry.testing.fleet}).
 */
package io.gantry.demo;
