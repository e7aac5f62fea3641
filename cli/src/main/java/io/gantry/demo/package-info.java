/**
 * The one-command demo: PKI, backend, a gateway JVM and its simulated device, a signed bundle and
 * firmware update, the refusals, renewal and revocation. It runs on the same local-fleet fixtures
 * as the end-to-end tests ({@code io.gantry.testing.fleet}).
 */
package io.gantry.demo;
