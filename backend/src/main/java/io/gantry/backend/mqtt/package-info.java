/**
 * MQTT v5 push and status (docs/mqtt.md): an embedded HiveMQ CE broker on a mutual-TLS listener
 * that admits only device certificates the revocation registry holds GOOD, confines each device
 * to its own topics, carries the backend's commands ({@code checkIn}, {@code cancel},
 * {@code trustRoot}) to devices and records the status they publish.
 */
package io.gantry.backend.mqtt;
