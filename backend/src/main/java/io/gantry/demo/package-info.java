/**
 * The one-command demo and the pieces it shares with the end-to-end tests: a management API
 * client, a gateway started in its own JVM, and a workspace that lays out PKI, keys and the
 * gateway's configuration.
 */
package io.gantry.demo;
