/** The Gantry backend server: {@link io.gantry.backend.BackendServer} and its {@link io.gantry.backend.BackendConfig}. */
package io.gantry.backend;
