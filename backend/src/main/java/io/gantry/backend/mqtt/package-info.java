/**
 * MQTT v5 push and status (docs/mqtt.md): an embedded HiveMQ CE broker on a mutual-TLS listener
 * that admits only device certificates the revocation registry holds GOOD, confines each device
 * to its own topics, carries the backend's commands ({@code checkIn}, {@code cancel},
 * {@code trustRoot}) to devices and records the status they publish. Nodes sharing a database
 * relay each other's commands through the push outbox ({@link io.gantry.backend.mqtt.OutboxRelay});
 * with an external broker (Mosquitto) the backend is an MQTT v5 client of it
 * ({@link io.gantry.backend.mqtt.ExternalBroker}) as its push identity.
 */
package io.gantry.backend.mqtt;
