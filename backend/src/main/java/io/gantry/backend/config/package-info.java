/** The backend's validated configuration: {@link io.gantry.backend.config.BackendConfig}, the download quota and the database it sets. */
package io.gantry.backend.config;
