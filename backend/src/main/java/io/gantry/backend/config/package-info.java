/** The backend's validated configuration: {@link io.gantry.backend.config.BackendConfig} and the download quota it sets. */
package io.gantry.backend.config;
