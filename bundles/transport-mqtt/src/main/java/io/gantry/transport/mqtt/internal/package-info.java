/**
 * MQTT v5 push for the gateway (docs/mqtt.md): Eclipse Paho, embedded in this bundle, connects
 * with the device certificate, turns the backend's commands into an immediate poll and publishes
 * status. Optional: without its configuration the gateway polls as before.
 */
package io.gantry.transport.mqtt.internal;
