/**
 * The devices behind each gateway (docs/devices.md): what a gateway reported about each device it
 * updates (type, running version, last release offered, last result and code), read from the
 * per-device lines of its DDI feedback and shown in the management API.
 */
package io.gantry.backend.devices;
