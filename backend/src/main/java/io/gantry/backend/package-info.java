/**
 * The assembly of the Gantry backend server: {@link io.gantry.backend.BackendServer} wires the
 * feature packages (ddi, mgmt, est, revocation, tls, db, events, alerts, http) from a
 * {@link io.gantry.backend.config.BackendConfig}. No feature package depends on this one
 * (ServerPackageStructureTest).
 */
package io.gantry.backend;
