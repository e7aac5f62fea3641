/** The operator tool's client of the backend's management API over mutual TLS, and a watcher of an action until it closes. */
package io.gantry.cli.mgmt;
